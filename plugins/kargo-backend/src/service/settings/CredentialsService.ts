import { InputError } from '@backstage/errors';
import {
  kargoProjectManagePermission,
  kargoProjectSettingsReadPermission,
  KargoRepoCredentialsView,
} from '@kargo-backstage/plugin-kargo-common';
import { KargoSecret } from '@kargo-backstage/plugin-kargo-node';
import { allStages, authorizeProjectChange } from '../operations/stageScope';
import { validRe2 } from '../freeze/stageSelector';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { z } from 'zod/v3';
import {
  OperationDeps,
  OperationService,
} from '../operations/OperationService';
import type { Operation, OperationCall } from '../operations/types';
import { objectName, parse } from '../operations/schemas';

const fields = {
  type: z.enum(['git', 'helm', 'image']),
  repoUrl: z.string().min(1).max(2048),
  repoUrlIsRegex: z.boolean().optional(),
  username: z.string().min(1).max(512),
  password: z.string().min(1).max(8192),
  description: z.string().max(1000).optional(),
};
const create = z
  .object({ name: objectName, ...fields })
  .strict()
  .refine(c => !c.repoUrlIsRegex || isRegex(c.repoUrl), {
    message: 'repoUrl is not a valid regular expression',
    path: ['repoUrl'],
  });
/** An update replaces every field but may leave the password out: Kargo keeps the stored one. */
const update = z
  .object({ ...fields, password: fields.password.optional() })
  .strict();

/**
 * Whether text compiles as a regular expression the way Kargo reads it (Go's RE2 syntax:
 * repository URL patterns, tag filters).
 */
export function isRegex(text: string): boolean {
  return validRe2(text) === undefined;
}

/** What the portal shows of credentials: never the password, not even redacted. */
export function credentialsView(secret: KargoSecret): KargoRepoCredentialsView {
  const data = secret.stringData ?? {};
  const decoded = (key: string) =>
    data[key] ??
    (secret.data?.[key]
      ? Buffer.from(secret.data[key], 'base64').toString('utf8')
      : undefined);
  return {
    name: secret.metadata?.name ?? '',
    type: secret.metadata?.labels?.['kargo.akuity.io/cred-type'] ?? '',
    repoUrl: decoded('repoURL') ?? '',
    repoUrlIsRegex: decoded('repoURLIsRegex') === 'true',
    username: decoded('username'),
    description: secret.metadata?.annotations?.['kargo.akuity.io/description'],
  };
}

/**
 * A project's repository credentials: list, create, update, delete. Secrets are write-only:
 * no answer, audit record or log line of the portal carries a password.
 */
export class CredentialsService extends OperationService {
  constructor(options: OperationDeps) {
    // Credentials are not part of the pipeline views.
    super({ ...options, portalDataOnly: true });
  }

  /** Needs kargo.project.settings.read: they name repositories and users. */
  async list(
    credentials: BackstageCredentials,
    ref: { instance: string; project: string },
  ): Promise<KargoRepoCredentialsView[]> {
    const params = await this.readable(
      credentials,
      ref,
      kargoProjectSettingsReadPermission,
    );
    const list = await this.options.instances
      .get(params.instance)
      .listRepoCredentials(params.project);
    return (list.items ?? []).map(credentialsView);
  }

  create(call: OperationCall<unknown>) {
    return this.run.checked(
      'kargo-credentials-create',
      call,
      create,
      async op => {
        await this.manage(op);
        const { name, type, repoUrl } = op.body;
        Object.assign(op.meta, { name, type, repoUrl });
        const created = await op.writer.createRepoCredentials(
          op.project,
          op.body,
        );
        return { status: 201, body: credentialsView(created) as any };
      },
    );
  }

  update(call: OperationCall<unknown>) {
    return this.run.checked(
      'kargo-credentials-update',
      call,
      update,
      async op => {
        await this.manage(op);
        const name = parse(objectName, op.params.name, 'credentials name');
        Object.assign(op.meta, {
          name,
          type: op.body.type,
          repoUrl: op.body.repoUrl,
          passwordChanged: Boolean(op.body.password),
        });
        if (!op.body.password) {
          // Kargo keeps the stored password: it must not go to another repository than before.
          const { items = [] } = await op.reader.listRepoCredentials(
            op.project,
          );
          const found = items.find(i => i.metadata?.name === name);
          const stored = found && credentialsView(found);
          if (
            stored &&
            (stored.repoUrl !== op.body.repoUrl ||
              stored.type !== op.body.type ||
              stored.repoUrlIsRegex !== Boolean(op.body.repoUrlIsRegex))
          ) {
            throw new InputError(
              'password: required when repoUrl, repoUrlIsRegex or type change (the stored one stays with the repository it was given for)',
            );
          }
        }
        const { password, ...rest } = op.body;
        // Kargo's PUT replaces the credentials whole and refuses an empty password; keeping the
        // stored one takes a PATCH, sent with every other field so both replace the same.
        const updated = password
          ? await op.writer.updateRepoCredentials(op.project, name, {
              ...rest,
              password,
            })
          : await op.writer.patchRepoCredentials(op.project, name, {
              ...rest,
              repoUrlIsRegex: Boolean(rest.repoUrlIsRegex),
              // PATCH keeps a description left out; an empty one removes it, as PUT would.
              description: rest.description ?? '',
            });
        return { status: 200, body: credentialsView(updated) as any };
      },
    );
  }

  delete(call: OperationCall<unknown>) {
    return this.run.checked(
      'kargo-credentials-delete',
      call,
      z.object({}).passthrough(),
      async op => {
        await this.manage(op);
        const name = parse(objectName, op.params.name, 'credentials name');
        op.meta.name = name;
        await op.writer.deleteRepoCredentials(op.project, name);
        return { status: 204 };
      },
    );
  }

  // Credentials serve every warehouse and every promotion's git steps: all stages.
  private async manage(op: Operation<unknown>) {
    await authorizeProjectChange(
      op,
      kargoProjectManagePermission,
      allStages(await op.snapshot()),
    );
  }
}
