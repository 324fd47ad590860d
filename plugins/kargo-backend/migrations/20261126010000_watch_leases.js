// @ts-check

/**
 * Leases on Kargo watch streams: with several backend replicas, one holds the watches of a
 * project at a time, keeps the resourceVersions it reached, and another resumes from them
 * when its lease runs out.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('kargo_watch_leases', table => {
    table.comment('Which replica watches a Kargo project, and how far it got');
    table.string('instance', 255).notNullable();
    table.string('project', 255).notNullable();
    table.string('holder', 255).nullable().comment('Replica id; null: free');
    table
      .bigInteger('expires_at')
      .notNullable()
      .comment('ms since epoch; after it another replica may take over');
    table
      .bigInteger('viewed_at')
      .notNullable()
      .comment('ms since epoch; last view on any replica');
    table
      .text('resource_versions')
      .nullable()
      .comment('JSON: the last resourceVersion seen per watched list');
    table.primary(['instance', 'project']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kargo_watch_leases');
};
