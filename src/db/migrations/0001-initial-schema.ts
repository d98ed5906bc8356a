import type { QueryInterface } from 'sequelize';

// Plain SQL rather than queryInterface.createTable: CHECK constraints, partial
// defaults and the deferred tournaments -> battles foreign key read more clearly
// as the DDL PostgreSQL will actually run.
const UP = [
  `CREATE TABLE users (
    id serial PRIMARY KEY,
    -- Lowercase enforced here (no citext extension needed); the app lowercases on input.
    email text NOT NULL UNIQUE CHECK (email = lower(email)),
    name text NOT NULL,
    role text NOT NULL CHECK (role IN ('admin', 'staff', 'mc', 'judge')),
    password_hash text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE tournaments (
    id serial PRIMARY KEY,
    name varchar(120) NOT NULL UNIQUE,
    starts_on date,
    event_mode boolean NOT NULL DEFAULT false,
    -- The foreign key to battles is added below, once battles exists.
    current_battle_id integer,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE categories (
    id serial PRIMARY KEY,
    tournament_id integer NOT NULL REFERENCES tournaments (id) ON DELETE CASCADE,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tournament_id, name)
  )`,
  `CREATE TABLE dancers (
    id serial PRIMARY KEY,
    category_id integer NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (category_id, name)
  )`,
  `CREATE TABLE battles (
    id serial PRIMARY KEY,
    category_id integer NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    round integer NOT NULL CHECK (round >= 1),
    position integer NOT NULL CHECK (position >= 0),
    -- Null until the previous round's winner is placed here.
    dancer_a_id integer REFERENCES dancers (id),
    dancer_b_id integer REFERENCES dancers (id),
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'live', 'completed')),
    winner_id integer REFERENCES dancers (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (category_id, round, position)
  )`,
  `ALTER TABLE tournaments
    ADD CONSTRAINT tournaments_current_battle_id_fkey
    FOREIGN KEY (current_battle_id) REFERENCES battles (id) ON DELETE SET NULL`,
  `CREATE TABLE votes (
    id serial PRIMARY KEY,
    battle_id integer NOT NULL REFERENCES battles (id) ON DELETE CASCADE,
    judge_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    dancer_id integer NOT NULL REFERENCES dancers (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- One vote per judge per battle: the app maps a violation of this to 409.
    UNIQUE (battle_id, judge_id)
  )`,
  // Foreign keys PostgreSQL does not index by itself, on the paths the app queries.
  `CREATE INDEX battles_dancer_a_id_idx ON battles (dancer_a_id)`,
  `CREATE INDEX battles_dancer_b_id_idx ON battles (dancer_b_id)`,
  `CREATE INDEX battles_winner_id_idx ON battles (winner_id)`,
  `CREATE INDEX votes_judge_id_idx ON votes (judge_id)`,
  `CREATE INDEX votes_dancer_id_idx ON votes (dancer_id)`,
  `CREATE INDEX tournaments_current_battle_id_idx ON tournaments (current_battle_id)`,
];

const DOWN = [
  'DROP TABLE IF EXISTS votes',
  'ALTER TABLE IF EXISTS tournaments DROP CONSTRAINT IF EXISTS tournaments_current_battle_id_fkey',
  'DROP TABLE IF EXISTS battles',
  'DROP TABLE IF EXISTS dancers',
  'DROP TABLE IF EXISTS categories',
  'DROP TABLE IF EXISTS tournaments',
  'DROP TABLE IF EXISTS users',
];

// Each direction runs in one transaction: PostgreSQL DDL is transactional, so a
// failure halfway leaves no half-built schema behind.
async function runAll(queryInterface: QueryInterface, statements: string[]): Promise<void> {
  await queryInterface.sequelize.transaction(async (transaction) => {
    for (const sql of statements) await queryInterface.sequelize.query(sql, { transaction });
  });
}

export async function up(queryInterface: QueryInterface): Promise<void> {
  await runAll(queryInterface, UP);
}

export async function down(queryInterface: QueryInterface): Promise<void> {
  await runAll(queryInterface, DOWN);
}
