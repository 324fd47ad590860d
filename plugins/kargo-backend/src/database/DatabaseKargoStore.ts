import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type {
  FreightEnrichmentContent,
  FreightMetadataChange,
  FreightMetadataInput,
  FreightMetadataView,
  PromotionWindowView,
} from '@kargo-backstage/plugin-kargo-common';
import { Knex } from 'knex';
import { AutoPromotionHold, KargoStore, ProjectRef } from './KargoStore';
import { breaks } from '@kargo-backstage/plugin-kargo-node';
import { lineStopWindow } from '../service/lineStops/lineStopWindow';

const migrationsDir = resolvePackagePath(
  '@kargo-backstage/plugin-kargo-backend',
  'migrations',
);

type Document = Omit<FreightMetadataInput, 'version'>;

const toDocument = (input: FreightMetadataInput): Document => ({
  notes: input.notes || undefined,
  links: input.links ?? [],
  labels: input.labels ?? {},
  verdict: input.verdict ?? undefined,
});

/** Thrown inside the write transaction when the row moved past the writer's version. */
class StaleVersion extends Error {}

/** Unique-key violations on SQLite and PostgreSQL: someone else wrote first. */
export const isUniqueViolation = (error: unknown) =>
  /UNIQUE constraint|duplicate key|SQLITE_CONSTRAINT/i.test(
    String((error as Error)?.message ?? error),
  );

/** The Kargo store on the plugin's database (SQLite by default, PostgreSQL in production). */
export class DatabaseKargoStore implements KargoStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseKargoStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await client.migrate.latest({
        directory: migrationsDir,
        tableName: 'kargo_knex_migrations',
      });
    }
    return new DatabaseKargoStore(client);
  }

  /** For the migration test: all the way down. */
  static async rollbackAll(client: Knex): Promise<void> {
    await client.migrate.rollback(
      { directory: migrationsDir, tableName: 'kargo_knex_migrations' },
      true,
    );
  }

  static migrationsDirectory = migrationsDir;

  private constructor(private readonly db: Knex) {}

  // ---- freight metadata ----

  async getFreightMetadata(
    ref: ProjectRef,
    freight: string[],
  ): Promise<Map<string, FreightMetadataView>> {
    const out = new Map<string, FreightMetadataView>();
    if (!freight.length) return out;
    // One query for both tables, however many freight are asked for.
    const rows: Array<{
      source: 'metadata' | 'enrichment';
      freight: string;
      version: number;
      document: string;
      by: string | null;
      at: string;
      enricher: string | null;
    }> = await this.db
      .select(
        this.db.raw("'metadata' as source"),
        'freight',
        'version',
        'document',
        'updated_by as by',
        'updated_at as at',
        this.db.raw('null as enricher'),
      )
      .from('kargo_freight_metadata')
      .where({ instance: ref.instance, project: ref.project })
      .whereIn('freight', freight)
      .unionAll(qb =>
        qb
          .select(
            this.db.raw("'enrichment' as source"),
            'freight',
            this.db.raw('0 as version'),
            'document',
            this.db.raw('null as by'),
            'created_at as at',
            'enricher',
          )
          .from('kargo_freight_enrichments')
          .where({ instance: ref.instance, project: ref.project })
          .whereIn('freight', freight),
      );
    const entry = (name: string) => {
      let view = out.get(name);
      if (!view) {
        view = {
          freight: name,
          links: [],
          labels: {},
          version: 0,
          enrichments: {},
        };
        out.set(name, view);
      }
      return view;
    };
    for (const row of rows) {
      const view = entry(row.freight);
      const document = JSON.parse(row.document);
      if (row.source === 'metadata') {
        Object.assign(view, document, {
          version: Number(row.version),
          updatedBy: row.by ?? undefined,
          updatedAt: row.at,
        });
      } else {
        view.enrichments[row.enricher!] = { ...document, at: row.at };
      }
    }
    return out;
  }

  async putFreightMetadata(
    ref: ProjectRef,
    freight: string,
    input: FreightMetadataInput,
    by: string,
    at: string,
  ): Promise<FreightMetadataView> {
    const document = JSON.stringify(toDocument(input));
    const version = input.version + 1;
    const key = { instance: ref.instance, project: ref.project, freight };
    try {
      await this.db.transaction(async tx => {
        if (input.version === 0) {
          await tx('kargo_freight_metadata').insert({
            ...key,
            version,
            document,
            updated_by: by,
            updated_at: at,
          });
        } else {
          // Only the version the writer saw is replaced; anything else is a conflict.
          const updated = await tx('kargo_freight_metadata')
            .where({ ...key, version: input.version })
            .update({ version, document, updated_by: by, updated_at: at });
          if (updated !== 1) throw new StaleVersion();
        }
        await tx('kargo_freight_metadata_history').insert({
          ...key,
          version,
          document,
          changed_by: by,
          changed_at: at,
        });
      });
    } catch (error) {
      if (error instanceof StaleVersion || isUniqueViolation(error)) {
        const current = (await this.getFreightMetadata(ref, [freight])).get(
          freight,
        );
        throw new ConflictError(
          `The metadata of freight "${freight}" changed (now version ${
            current?.version ?? 0
          }${
            current?.updatedBy ? `, by ${current.updatedBy}` : ''
          }); you wrote over version ${input.version}. Reload and try again.`,
        );
      }
      throw error;
    }
    return (await this.getFreightMetadata(ref, [freight])).get(freight)!;
  }

  async getFreightMetadataHistory(
    ref: ProjectRef,
    freight: string,
  ): Promise<FreightMetadataChange[]> {
    const rows = await this.db('kargo_freight_metadata_history')
      .where({ instance: ref.instance, project: ref.project, freight })
      .orderBy('version', 'desc');
    return rows.map(row => ({
      links: [],
      labels: {},
      ...JSON.parse(row.document),
      version: Number(row.version),
      by: row.changed_by,
      at: row.changed_at,
    }));
  }

  async putEnrichment(
    ref: ProjectRef,
    freight: string,
    enricher: string,
    content: FreightEnrichmentContent,
    at: string,
  ): Promise<void> {
    await this.db('kargo_freight_enrichments')
      .insert({
        instance: ref.instance,
        project: ref.project,
        freight,
        enricher,
        document: JSON.stringify(content),
        created_at: at,
      })
      .onConflict(['instance', 'project', 'freight', 'enricher'])
      .merge(['document', 'created_at']);
  }

  async enrichedFreight(
    ref: ProjectRef,
    enricher: string,
    freight: string[],
  ): Promise<Set<string>> {
    const found = new Set<string>();
    const pause = breaks();
    // In chunks: a project's 20 000 freight are more bind parameters than a database takes.
    for (let i = 0; i < freight.length; i += 1000) {
      await pause();
      const rows = await this.db('kargo_freight_enrichments')
        .select('freight')
        .where({ instance: ref.instance, project: ref.project, enricher })
        .whereIn('freight', freight.slice(i, i + 1000));
      for (const row of rows) found.add(row.freight);
    }
    return found;
  }

  // ---- promotion windows ----

  /** The project's windows, and a Deny window per stop-the-line freeze in force on it. */
  async listPromotionWindows(ref: ProjectRef): Promise<PromotionWindowView[]> {
    const [rows, stops] = await Promise.all([
      this.db('kargo_promotion_windows')
        .where({ instance: ref.instance, project: ref.project })
        .orderBy('name'),
      this.db('kargo_line_stops')
        .whereNull('ended_at')
        .andWhere(q =>
          q.whereNull('instance').orWhere('instance', ref.instance),
        )
        .orderBy('started_at'),
    ]);
    return [
      ...rows.map(row => ({
        ...JSON.parse(row.window),
        reason: row.reason ?? undefined,
        createdBy: row.created_by,
        createdAt: row.created_at,
      })),
      ...stops.map(stop =>
        lineStopWindow({
          id: stop.id,
          reason: stop.reason,
          startedBy: stop.started_by,
          startedAt: stop.started_at,
        }),
      ),
    ];
  }

  /** Projects whose auto-promotion a freeze or an approval policy may hold. */
  async projectsWithPromotionWindows(): Promise<ProjectRef[]> {
    return this.db('kargo_promotion_windows')
      .distinct('instance', 'project')
      .union(qb =>
        qb.distinct('instance', 'project').from('kargo_auto_promotion_holds'),
      )
      .union(qb =>
        qb.distinct('instance', 'project').from('kargo_approval_policies'),
      );
  }

  async createPromotionWindow(
    ref: ProjectRef,
    window: PromotionWindowView,
  ): Promise<void> {
    const { reason, createdBy, createdAt, ...kargoWindow } = window;
    try {
      await this.db('kargo_promotion_windows').insert({
        instance: ref.instance,
        project: ref.project,
        name: window.name,
        window: JSON.stringify(kargoWindow),
        reason: reason ?? null,
        created_by: createdBy,
        created_at: createdAt,
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `Project "${ref.project}" already has a promotion window named "${window.name}"`,
        );
      }
      throw error;
    }
  }

  async deletePromotionWindow(ref: ProjectRef, name: string): Promise<boolean> {
    const deleted = await this.db('kargo_promotion_windows')
      .where({ instance: ref.instance, project: ref.project, name })
      .delete();
    return deleted > 0;
  }

  // ---- auto-promotion holds ----

  async listAutoPromotionHolds(ref: ProjectRef): Promise<AutoPromotionHold[]> {
    const rows = await this.db('kargo_auto_promotion_holds').where({
      instance: ref.instance,
      project: ref.project,
    });
    return rows.map(row => ({
      stage: row.stage,
      previous: Boolean(row.previous),
      heldSince: row.held_since,
    }));
  }

  async putAutoPromotionHold(
    ref: ProjectRef,
    hold: AutoPromotionHold,
  ): Promise<void> {
    await this.db('kargo_auto_promotion_holds')
      .insert({
        instance: ref.instance,
        project: ref.project,
        stage: hold.stage,
        previous: hold.previous,
        held_since: hold.heldSince,
      })
      .onConflict(['instance', 'project', 'stage'])
      .ignore();
  }

  async deleteAutoPromotionHold(ref: ProjectRef, stage: string): Promise<void> {
    await this.db('kargo_auto_promotion_holds')
      .where({ instance: ref.instance, project: ref.project, stage })
      .delete();
  }
}
