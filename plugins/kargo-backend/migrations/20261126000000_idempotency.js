// @ts-check

/**
 * Idempotency-Key records in the database rather than in one replica's memory: a retry that
 * lands on another replica still gets the first answer, and concurrent retries wait for it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('kargo_idempotency_keys', table => {
    table.comment('The first answer to a mutation per (user, Idempotency-Key)');
    table.string('user_ref', 255).notNullable();
    table.string('idempotency_key', 255).notNullable();
    table.string('fingerprint', 128).notNullable().comment('What was asked');
    table
      .string('status', 16)
      .notNullable()
      .comment('pending while the first attempt runs, then done');
    table.text('response').nullable().comment('JSON: status and body');
    table.bigInteger('created_at').notNullable().comment('ms since epoch');
    table.primary(['user_ref', 'idempotency_key']);
    table.index(['created_at'], 'kargo_idempotency_keys_created_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kargo_idempotency_keys');
};
