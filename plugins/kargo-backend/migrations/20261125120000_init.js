// @ts-check

/**
 * The portal's own Kargo data: freight metadata with its full history, what enrichers
 * contributed, freeze windows, and the auto-promotion settings a freeze turned off.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('kargo_freight_metadata', table => {
    table.comment('The current metadata people wrote for a piece of freight');
    table.string('instance', 63).notNullable();
    table.string('project', 253).notNullable();
    table.string('freight', 253).notNullable();
    table.integer('version').notNullable();
    table
      .text('document')
      .notNullable()
      .comment('JSON: notes, links, labels, verdict');
    table.string('updated_by', 255).notNullable();
    table.string('updated_at', 32).notNullable();
    table.primary(['instance', 'project', 'freight']);
  });
  await knex.schema.createTable('kargo_freight_metadata_history', table => {
    table.comment('Every version ever written, never updated');
    table.string('instance', 63).notNullable();
    table.string('project', 253).notNullable();
    table.string('freight', 253).notNullable();
    table.integer('version').notNullable();
    table.text('document').notNullable();
    table.string('changed_by', 255).notNullable();
    table.string('changed_at', 32).notNullable();
    table.primary(['instance', 'project', 'freight', 'version']);
  });
  await knex.schema.createTable('kargo_freight_enrichments', table => {
    table.comment('What automatic enrichers contributed, one row per enricher');
    table.string('instance', 63).notNullable();
    table.string('project', 253).notNullable();
    table.string('freight', 253).notNullable();
    table.string('enricher', 100).notNullable();
    table.text('document').notNullable();
    table.string('created_at', 32).notNullable();
    table.primary(['instance', 'project', 'freight', 'enricher']);
  });
  await knex.schema.createTable('kargo_promotion_windows', table => {
    table.comment('Freeze windows in the PromotionWindow model of Kargo');
    table.string('instance', 63).notNullable();
    table.string('project', 253).notNullable();
    table.string('name', 253).notNullable();
    table.text('window').notNullable().comment('JSON PromotionWindow');
    table.text('reason');
    table.string('created_by', 255).notNullable();
    table.string('created_at', 32).notNullable();
    table.primary(['instance', 'project', 'name']);
  });
  await knex.schema.createTable('kargo_auto_promotion_holds', table => {
    table.comment(
      'Auto-promotion a freeze turned off, to restore when it opens',
    );
    table.string('instance', 63).notNullable();
    table.string('project', 253).notNullable();
    table.string('stage', 253).notNullable();
    table.boolean('previous').notNullable();
    table.string('held_since', 32).notNullable();
    table.primary(['instance', 'project', 'stage']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kargo_auto_promotion_holds');
  await knex.schema.dropTable('kargo_promotion_windows');
  await knex.schema.dropTable('kargo_freight_enrichments');
  await knex.schema.dropTable('kargo_freight_metadata_history');
  await knex.schema.dropTable('kargo_freight_metadata');
};
