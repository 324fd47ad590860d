// @ts-check

/**
 * Approvals (policies, requests and each approver's vote), stop-the-line freezes, and the
 * notifications sent for Kargo events, so that each event is notified once across replicas.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('kargo_approval_policies', table => {
    table.comment(
      'N approvals from members of groups, for the stages a selector picks',
    );
    table.string('instance', 63).notNullable();
    table.string('project', 253).notNullable();
    table.string('name', 253).notNullable();
    table.text('policy').notNullable().comment('JSON ApprovalPolicy');
    table.string('created_by', 255).notNullable();
    table.string('created_at', 32).notNullable();
    table.primary(['instance', 'project', 'name']);
  });
  await knex.schema.createTable('kargo_approval_requests', table => {
    table.comment('A request to promote a freight into a stage');
    table.string('id', 36).primary();
    table.string('instance', 63).notNullable();
    table.string('project', 253).notNullable();
    table.string('stage', 253).notNullable();
    table.string('freight', 253).notNullable();
    table.string('requested_by', 255).notNullable();
    table.string('requested_at', 32).notNullable();
    table.text('comment');
    table.index(
      ['instance', 'project', 'stage'],
      'kargo_approval_requests_stage_idx',
    );
  });
  await knex.schema.createTable('kargo_approval_votes', table => {
    table.comment(
      'One answer per approver and request: two at once count once each',
    );
    table
      .string('request_id', 36)
      .notNullable()
      .references('id')
      .inTable('kargo_approval_requests')
      .onDelete('CASCADE');
    table.string('voter', 255).notNullable();
    table.string('decision', 16).notNullable().comment('Approved or Rejected');
    table.string('as_member_of', 300).notNullable();
    table.text('comment');
    table.string('voted_at', 32).notNullable();
    table.primary(['request_id', 'voter']);
  });
  await knex.schema.createTable('kargo_line_stops', table => {
    table.comment(
      'Stop the line: every stage closed, portal-wide or of one instance',
    );
    table.string('id', 36).primary();
    table.string('instance', 63).nullable().comment('null: every instance');
    table.text('reason').notNullable();
    table.string('started_by', 255).notNullable();
    table.string('started_at', 32).notNullable();
    table.string('ended_by', 255).nullable();
    table.string('ended_at', 32).nullable();
  });
  await knex.schema.createTable('kargo_notifications_sent', table => {
    table.comment(
      'Kargo events already notified: the first replica to insert sends',
    );
    table.string('event', 512).primary();
    table.bigInteger('sent_at').notNullable().comment('ms since epoch');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kargo_notifications_sent');
  await knex.schema.dropTable('kargo_line_stops');
  await knex.schema.dropTable('kargo_approval_votes');
  await knex.schema.dropTable('kargo_approval_requests');
  await knex.schema.dropTable('kargo_approval_policies');
};
