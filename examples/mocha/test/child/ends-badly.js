// Run by child-runs.test.js only: a test whose body passes but whose transaction could not have committed.
const { sequelize, Article } = require('../../src/db');

it('leaves a row that breaks a deferred constraint', async () => {
  await sequelize.query('ALTER TABLE articles DROP CONSTRAINT articles_author_id_fkey');
  await sequelize.query('ALTER TABLE articles ADD FOREIGN KEY (author_id) REFERENCES users (id) DEFERRABLE INITIALLY DEFERRED');
  await Article.create({ title: 'Orphan', authorId: 424242 });
});

it('runs after it, on a database with the template schema', async () => {
  await Article.create({ title: 'Orphan', authorId: 424242 }).then(
    () => { throw new Error('the foreign key was not restored'); },
    (error) => { if (!/foreign key/.test(error.message)) throw error; },
  );
});
