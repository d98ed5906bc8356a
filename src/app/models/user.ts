import { DataTypes, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

export const ROLES = ['admin', 'staff', 'mc', 'judge'] as const;
export type Role = (typeof ROLES)[number];

export interface UserInstance extends Model<InferAttributes<UserInstance>, InferCreationAttributes<UserInstance>> {
  id: CreationOptional<number>;
  email: string;
  name: string;
  role: Role;
  /** `scrypt$N$r$p$salt$hash`; never leaves the server (see `userJson`). */
  passwordHash: string;
  createdAt: CreationOptional<Date>;
  updatedAt: CreationOptional<Date>;
}

export type UserModel = ModelStatic<UserInstance>;

export function defineUser(sequelize: Sequelize): UserModel {
  return sequelize.define<UserInstance>(
    'User',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      // The column has a CHECK (email = lower(email)); lowercasing here keeps callers honest.
      email: {
        type: DataTypes.TEXT,
        allowNull: false,
        set(value: string) {
          this.setDataValue('email', value.toLowerCase());
        },
      },
      name: { type: DataTypes.TEXT, allowNull: false },
      role: { type: DataTypes.TEXT, allowNull: false },
      passwordHash: { type: DataTypes.TEXT, allowNull: false },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { tableName: 'users', underscored: true },
  );
}

/** The public shape of a user: everything but the password hash. */
export function userJson(user: UserInstance) {
  return { id: user.id, email: user.email, name: user.name, role: user.role, createdAt: user.createdAt, updatedAt: user.updatedAt };
}
