import {
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  kargoFreightPromotePermission,
  kargoProjectManagePermission,
  kargoProjectResourceRef,
  kargoStageManagePermission,
  type ApprovalPolicy,
  type ApprovalPolicyView,
  type ApprovalRequestView,
  type KargoProjectApprovals,
  type Stage,
} from '@kargo-backstage/plugin-kargo-common';
import { randomUUID } from 'node:crypto';
import { z } from 'zod/v3';
import type { ProjectRef } from '../../database';
import { selectsStage, stageSelectorProblems } from '../freeze/stageSelector';
import { KargoNotifier, KARGO_TOPICS } from '../notifications/KargoNotifier';
import {
  OperationDeps,
  OperationService,
} from '../operations/OperationService';
import { actorOf } from '../operations/operation';
import type { OperationCall } from '../operations/types';
import {
  freightLabel,
  requireFreight,
  requireStage,
} from '../operations/preconditions';
import { objectName, parse } from '../operations/schemas';
import { stagesSelectedBy } from '../operations/stageScope';
import { ApprovalStore, StoredApprovalRequest } from './ApprovalStore';
import { approvalState } from './approvalState';

/** A group entity ref; a bare name is a group of the default namespace. */
const groupRef = z
  .string()
  .min(1)
  .max(300)
  .transform((ref, ctx) => {
    try {
      const parsed = parseEntityRef(ref, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      });
      if (parsed.kind.toLocaleLowerCase('en-US') === 'group') {
        return stringifyEntityRef(parsed);
      }
    } catch {
      // said below
    }
    ctx.addIssue({
      code: 'custom',
      message: `"${ref}" is no group entity ref`,
    });
    return z.NEVER;
  });

const policyInput = z
  .object({
    name: objectName,
    stageSelector: z
      .object({
        name: z.string().min(1).max(253).optional(),
        matchLabels: z
          .record(z.string().max(63), z.string().max(63))
          .optional(),
      })
      .strict()
      .optional(),
    approvals: z.number().int().min(1).max(10),
    groups: z.array(groupRef).min(1).max(20),
    expiresAfter: z
      .string()
      .regex(
        /^([0-9]+(\.[0-9]+)?(h|m|s))+$/,
        'must be a Go duration such as 24h or 90m',
      )
      .optional(),
  })
  .strict();

const requestInput = z
  .object({
    stage: objectName,
    freight: z.string().min(1).max(253),
    comment: z.string().max(2000).optional(),
  })
  .strict();

const voteInput = z
  .object({
    decision: z.enum(['Approved', 'Rejected']),
    comment: z.string().max(2000).optional(),
  })
  .strict();

const listQuery = z.object({
  stage: objectName.optional(),
  state: z.enum(['Pending', 'Approved', 'Rejected', 'Expired']).optional(),
});

export interface ApprovalServiceOptions extends OperationDeps {
  store: ApprovalStore;
  userInfo: UserInfoService;
  notifier: KargoNotifier;
  /** Where the project is shown in the portal, for notifications' links. */
  linkTo(ref: ProjectRef): Promise<string | undefined>;
  /** Whether the approval gate module is installed (without it policies would not hold). */
  gateInstalled(): boolean;
  now?: () => Date;
}

const stageRefOf = (s: Stage) => ({
  name: s.metadata!.name!,
  labels: s.metadata?.labels,
});

/**
 * Approval policies and requests: a stage a policy selects takes a promotion only for freight
 * whose request has that policy's approvals (the approval gate module enforces it). Requesting
 * takes kargo.freight.promote on the stage; approving takes membership of a group the policy
 * names, and is never the requester's.
 */
export class ApprovalService extends OperationService<ApprovalServiceOptions> {
  private readonly now: () => Date;

  constructor(options: ApprovalServiceOptions) {
    super(options);
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Policies declared in app-config (kargo.approvals.policies), created at start where the
   * project has none of that name: an edit or a deletion in the portal holds until the next
   * start. A bad one stops the backend, naming it.
   */
  async seed(
    declared: Array<
      { instance?: string; project: string } & Record<string, unknown>
    >,
  ): Promise<void> {
    if (declared.length && !this.options.gateInstalled()) {
      throw new Error(
        'kargo.approvals.policies needs @kargo-backstage/plugin-kargo-backend-module-approval-gate in the backend: nothing else makes promotions wait',
      );
    }
    for (const [i, { instance, project, ...rest }] of declared.entries()) {
      const ref = {
        instance: instance ?? this.options.instances.names()[0],
        project: parse(
          objectName,
          project,
          `kargo.approvals.policies[${i}].project`,
        ),
      };
      this.options.instances.get(ref.instance);
      const policy = parse(policyInput, rest, `kargo.approvals.policies[${i}]`);
      const problems = stageSelectorProblems(policy.stageSelector);
      if (problems.length) {
        throw new InputError(
          `kargo.approvals.policies[${i}]: ${problems.join('; ')}`,
        );
      }
      await this.options.store.createPolicy(ref, {
        ...(policy as ApprovalPolicy),
        createdBy: 'app-config',
        createdAt: this.now().toISOString(),
      });
    }
  }

  /** The policies that select the stage. A policy Kargo's selector rules refuse selects none. */
  /** The project's policies, for a caller that asks about many stages. */
  projectPolicies(ref: ProjectRef): Promise<ApprovalPolicyView[]> {
    return this.options.store.listPolicies(ref);
  }

  async policiesFor(
    ref: ProjectRef,
    stage: Stage,
    policies?: ApprovalPolicyView[],
  ): Promise<ApprovalPolicyView[]> {
    return (policies ?? (await this.options.store.listPolicies(ref))).filter(
      p => {
        try {
          return selectsStage(p.stageSelector, stageRefOf(stage));
        } catch {
          return false;
        }
      },
    );
  }

  /**
   * The freight whose newest request for the stage is Approved: where Kargo would auto-promote,
   * the freezer promotes it (auto-promotion is held only until freight is approved).
   */
  async approvedFreight(
    ref: ProjectRef,
    stage: Stage,
    /** The project's policies, where the caller read them already. */
    projectPolicies?: ApprovalPolicyView[],
  ): Promise<string[]> {
    const policies = await this.policiesFor(ref, stage, projectPolicies);
    if (!policies.length) return [];
    const now = this.now();
    const newest = new Map<string, StoredApprovalRequest>();
    // Listed newest first: the first of each freight is its newest.
    for (const r of await this.options.store.listRequests(ref, {
      stage: stage.metadata!.name!,
    })) {
      if (!newest.has(r.freight)) newest.set(r.freight, r);
    }
    return [...newest.values()]
      .filter(r => approvalState(r, policies, now).state === 'Approved')
      .map(r => r.freight);
  }

  /** For the promotion gates: the stage's policies and the freight's newest request. */
  async forGate(
    ref: ProjectRef,
    stage: Stage,
    freight: string,
  ): Promise<{
    policies: ApprovalPolicyView[];
    request?: ApprovalRequestView;
  }> {
    const policies = await this.policiesFor(ref, stage);
    if (!policies.length) return { policies };
    const [request] = await this.options.store.listRequests(ref, {
      stage: stage.metadata!.name!,
      freight,
      limit: 1,
    });
    return {
      policies,
      ...(request
        ? { request: approvalState(request, policies, this.now()) }
        : {}),
    };
  }

  /** What the Kargo tab shows; undefined when the project has no policy. */
  async forView(
    ref: ProjectRef,
    stages: Stage[],
  ): Promise<KargoProjectApprovals | undefined> {
    const policies = await this.options.store.listPolicies(ref);
    if (!policies.length) return undefined;
    const byStage = new Map<string, ApprovalPolicyView[]>();
    for (const stage of stages) {
      const selecting = await this.policiesFor(ref, stage, policies);
      if (selecting.length) byStage.set(stage.metadata!.name!, selecting);
    }
    const now = this.now();
    const requests = (
      await this.options.store.listRequests(ref, { limit: 200 })
    )
      .map(r => approvalState(r, byStage.get(r.stage) ?? [], now))
      .filter(r => r.state === 'Pending' || r.state === 'Approved')
      .slice(0, 100);
    return {
      stages: Object.fromEntries(
        [...byStage].map(([stage, ps]) => [stage, ps.map(p => p.name)]),
      ),
      policies,
      requests,
    };
  }

  async listPolicies(
    credentials: BackstageCredentials,
    ref: unknown,
  ): Promise<{
    items: ApprovalPolicyView[];
    stages: Record<string, string[]>;
  }> {
    const params = await this.readable(credentials, ref);
    const snapshot = await this.options.states.get(
      this.options.instances.get(params.instance),
      params.project,
    );
    const items = await this.options.store.listPolicies(params);
    const stages: Record<string, string[]> = {};
    for (const stage of snapshot.stages) {
      const names = (await this.policiesFor(params, stage, items)).map(
        p => p.name,
      );
      if (names.length) stages[stage.metadata!.name!] = names;
    }
    return { items, stages };
  }

  createPolicy(call: OperationCall<unknown>) {
    return this.run.checked(
      'kargo-approval-policy-create',
      call,
      policyInput,
      async op => {
        await op.authorize(kargoProjectManagePermission, [
          kargoProjectResourceRef(op.instance, op.project),
        ]);
        if (!this.options.gateInstalled()) {
          throw new ConflictError(
            'No promotion would wait for approvals: install @kargo-backstage/plugin-kargo-backend-module-approval-gate in the backend first',
          );
        }
        const problems = stageSelectorProblems(op.body.stageSelector);
        if (problems.length) {
          throw new InputError(
            `Invalid approval policy: ${problems.join('; ')}`,
          );
        }
        const policy: ApprovalPolicyView = {
          ...(op.body as ApprovalPolicy),
          groups: [...new Set(op.body.groups)],
          createdBy: actorOf(op.credentials),
          createdAt: this.now().toISOString(),
        };
        await op.authorize(
          kargoStageManagePermission,
          stagesSelectedBy(await op.snapshot(), policy.stageSelector).map(
            op.stageRef,
          ),
        );
        Object.assign(op.meta, {
          policy: policy.name,
          approvals: policy.approvals,
          groups: policy.groups,
        });
        if (!(await this.options.store.createPolicy(op, policy))) {
          throw new ConflictError(
            `Project "${op.project}" has an approval policy named "${policy.name}" already`,
          );
        }
        return { status: 201, body: policy as any };
      },
    );
  }

  deletePolicy(call: OperationCall<unknown>) {
    return this.run.checked(
      'kargo-approval-policy-delete',
      call,
      z.object({}).passthrough(),
      async op => {
        await op.authorize(kargoProjectManagePermission, [
          kargoProjectResourceRef(op.instance, op.project),
        ]);
        const name = parse(objectName, op.params.name, 'policy name');
        op.meta.policy = name;
        const policy = (await this.options.store.listPolicies(op)).find(
          p => p.name === name,
        );
        if (policy)
          await op.authorize(
            kargoStageManagePermission,
            stagesSelectedBy(await op.snapshot(), policy.stageSelector).map(
              op.stageRef,
            ),
          );
        if (!policy || !(await this.options.store.deletePolicy(op, name))) {
          throw new NotFoundError(
            `Project "${op.project}" has no approval policy named "${name}"`,
          );
        }
        return { status: 204 };
      },
    );
  }

  async listRequests(
    credentials: BackstageCredentials,
    ref: unknown,
    query: unknown,
  ): Promise<{ items: ApprovalRequestView[] }> {
    const params = await this.readable(credentials, ref);
    const filter = parse(listQuery, query ?? {}, 'query');
    const snapshot = await this.options.states.get(
      this.options.instances.get(params.instance),
      params.project,
    );
    const policies = await this.options.store.listPolicies(params);
    const stages = new Map(snapshot.stages.map(s => [s.metadata!.name!, s]));
    const now = this.now();
    const items: ApprovalRequestView[] = [];
    for (const request of await this.options.store.listRequests(params, {
      stage: filter.stage,
    })) {
      const stage = stages.get(request.stage);
      const selecting = stage
        ? await this.policiesFor(params, stage, policies)
        : [];
      const view = approvalState(request, selecting, now);
      if (!filter.state || view.state === filter.state) items.push(view);
    }
    return { items };
  }

  createRequest(call: OperationCall<unknown>) {
    return this.run.checked(
      'kargo-approval-request-create',
      call,
      requestInput,
      async op => {
        const { stage: stageName, comment } = op.body;
        await op.authorize(kargoFreightPromotePermission, [
          op.stageRef(stageName),
        ]);
        const snapshot = await op.snapshot();
        const stage = requireStage(snapshot, op.project, stageName);
        const freight = requireFreight(snapshot, op.project, op.body.freight)
          .metadata!.name!;
        Object.assign(op.meta, { stage: stageName, freight });
        const policies = await this.policiesFor(op, stage);
        if (!policies.length) {
          throw new ConflictError(
            `No approval policy selects stage "${stageName}": promote it without approval`,
          );
        }
        const now = this.now();
        const [latest] = await this.options.store.listRequests(op, {
          stage: stageName,
          freight,
          limit: 1,
        });
        const state = latest && approvalState(latest, policies, now).state;
        if (state === 'Pending' || state === 'Approved') {
          throw new ConflictError(
            `Freight "${freight}" has a request for stage "${stageName}" already (${state}, ${latest.id})`,
          );
        }
        const stored = {
          id: randomUUID(),
          instance: op.instance,
          project: op.project,
          stage: stageName,
          freight,
          requestedBy: actorOf(op.credentials),
          requestedAt: now.toISOString(),
          ...(comment ? { comment } : {}),
          votes: [],
        };
        await this.options.store.createRequest(stored);
        op.meta.request = stored.id;
        const view = approvalState(stored, policies, now);
        await this.options.notifier.send({
          event: `approval-requested:${stored.id}`,
          to: [...new Set(policies.flatMap(p => p.groups))],
          except: stored.requestedBy,
          payload: {
            title: `Approval requested: ${freightLabel(
              snapshot,
              freight,
            )} into ${stageName} (${op.project})`,
            description: `${
              stored.requestedBy
            } asks to promote freight ${freight} into stage ${stageName} of Kargo project ${
              op.project
            }${comment ? `: "${comment}"` : ''}. It needs ${policies
              .map(p => `${p.approvals} from ${p.groups.join(' or ')}`)
              .join(', and ')}.`,
            link: await this.options.linkTo(op),
            severity: 'high',
            topic: KARGO_TOPICS.approvals,
            scope: `kargo-approval:${stored.id}`,
          },
        });
        return { status: 201, body: view as any };
      },
    );
  }

  vote(call: OperationCall<unknown>) {
    return this.run.checked(
      'kargo-approval-vote',
      call,
      voteInput,
      async op => {
        const id = op.params.id;
        const { decision, comment } = op.body;
        Object.assign(op.meta, { request: id ?? null, decision });
        const [request] = id
          ? await this.options.store.listRequests(op, { id, limit: 1 })
          : [];
        if (!request) {
          throw new NotFoundError(
            `Project "${op.project}" has no approval request "${id}"`,
          );
        }
        Object.assign(op.meta, {
          stage: request.stage,
          freight: request.freight,
        });
        const snapshot = await op.snapshot();
        const stage = requireStage(snapshot, op.project, request.stage);
        const policies = await this.policiesFor(op, stage);
        const now = this.now();
        const before = approvalState(request, policies, now);
        if (before.state !== 'Pending') {
          throw new ConflictError(
            `The request is ${before.state}; only a pending request takes answers`,
          );
        }
        const voter = actorOf(op.credentials);
        if (voter === request.requestedBy) {
          throw new NotAllowedError(
            'Not allowed: you asked for this approval; someone else must answer it',
          );
        }
        const groups = [...new Set(policies.flatMap(p => p.groups))];
        const memberOf = await this.membership(op.credentials, groups);
        if (!memberOf.length) {
          throw new NotAllowedError(
            `Not allowed: answering this request takes membership of ${groups.join(
              ' or ',
            )}`,
          );
        }
        const vote = {
          by: voter,
          decision,
          at: now.toISOString(),
          asMemberOf: memberOf.join(','),
          ...(comment ? { comment } : {}),
        };
        if (!(await this.options.store.vote(request.id, vote))) {
          throw new ConflictError(`${voter} answered this request already`);
        }
        const [stored] = await this.options.store.listRequests(op, {
          id: request.id,
          limit: 1,
        });
        const after = approvalState(stored, policies, now);
        op.meta.state = after.state;
        await this.options.notifier.send({
          event: `approval-vote:${request.id}:${voter}`,
          to: [request.requestedBy],
          except: voter,
          payload: {
            title: `${
              decision === 'Approved' ? 'Approved' : 'Rejected'
            } by ${voter}: ${freightLabel(snapshot, request.freight)} into ${
              request.stage
            } (${op.project})`,
            description: `Your request to promote ${request.freight} into ${
              request.stage
            } is ${after.state}${comment ? `. ${voter}: "${comment}"` : ''}.`,
            link: await this.options.linkTo(op),
            severity: decision === 'Approved' ? 'normal' : 'high',
            topic: KARGO_TOPICS.approvals,
          },
        });
        return { status: 200, body: after as any };
      },
    );
  }

  /** The groups among `groups` the user belongs to, by Backstage's ownership claims. */
  private async membership(
    credentials: BackstageCredentials,
    groups: string[],
  ): Promise<string[]> {
    if ((credentials.principal as { type?: string }).type !== 'user') {
      return [];
    }
    const info = await this.options.userInfo.getUserInfo(credentials);
    return groups.filter(g => info.ownershipEntityRefs.includes(g));
  }
}
