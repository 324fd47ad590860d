import type {
  ProjectConfig,
  Stage,
  Warehouse,
} from '@kargo-backstage/plugin-kargo-common';

/** The compact description of a Kargo project that `kargo:project:init` takes. @public */
export interface KargoProjectSpec {
  project: string;
  /** The GitOps repository promotions write to (base manifests + one overlay per stage). */
  gitRepo: string;
  warehouses: Array<{
    name: string;
    image?: { repoURL: string; semverConstraint?: string; allowTags?: string };
    git?: { repoURL: string; branch?: string };
  }>;
  /** In order; a stage without `from` takes freight straight from the warehouses. */
  stages: Array<{
    name: string;
    from?: string[];
    /** Default: every warehouse. */
    warehouses?: string[];
    /** Open a pull request instead of pushing (protected stages). */
    pullRequest?: boolean;
    /** Argo CD application to point at the new commit (`${stage}` is replaced). */
    argocdApp?: string;
    /** An AnalysisTemplate name to verify the stage with. */
    verification?: string;
    autoPromotion?: boolean;
  }>;
}

const API = 'kargo.akuity.io/v1alpha1';

function stageSteps(
  spec: KargoProjectSpec,
  stage: KargoProjectSpec['stages'][number],
) {
  const images = spec.warehouses
    .filter(w => !stage.warehouses || stage.warehouses.includes(w.name))
    .flatMap(w => (w.image ? [w.image.repoURL] : []));
  const steps: Array<Record<string, unknown>> = [
    {
      uses: 'git-clone',
      config: {
        repoURL: spec.gitRepo,
        checkout: [
          { branch: 'main', path: './src' },
          { branch: `stage/${stage.name}`, create: true, path: './out' },
        ],
      },
    },
  ];
  if (images.length) {
    steps.push({
      uses: 'kustomize-set-image',
      as: 'update-image',
      config: {
        path: `./src/stages/${stage.name}`,
        images: images.map(image => ({
          image,
          tag: `\${{ imageFrom('${image}').Tag }}`,
        })),
      },
    });
  }
  steps.push(
    {
      uses: 'kustomize-build',
      config: { path: `./src/stages/${stage.name}`, outPath: './out' },
    },
    {
      uses: 'git-commit',
      as: 'commit',
      config: {
        path: './out',
        message: images.length
          ? '${{ outputs["update-image"].commitMessage }}'
          : `Render ${stage.name}`,
      },
    },
  );
  if (stage.pullRequest) {
    steps.push(
      {
        uses: 'git-push',
        as: 'push',
        config: { path: './out', generateTargetBranch: true },
      },
      {
        uses: 'git-open-pr',
        as: 'open-pr',
        config: {
          repoURL: spec.gitRepo,
          sourceBranch: '${{ outputs.push.branch }}',
          targetBranch: `stage/${stage.name}`,
        },
      },
      {
        uses: 'git-wait-for-pr',
        as: 'wait-for-pr',
        config: {
          repoURL: spec.gitRepo,
          prNumber: '${{ outputs["open-pr"].pr.id }}',
        },
      },
    );
  } else {
    steps.push({ uses: 'git-push', as: 'push', config: { path: './out' } });
  }
  if (stage.argocdApp) {
    steps.push({
      uses: 'argocd-update',
      config: {
        apps: [
          {
            name: stage.argocdApp.replace(/\$\{stage\}/g, stage.name),
            sources: [
              {
                repoURL: spec.gitRepo,
                desiredRevision: stage.pullRequest
                  ? '${{ outputs["wait-for-pr"].commit }}'
                  : '${{ outputs.commit.commit }}',
              },
            ],
          },
        ],
      },
    });
  }
  return steps;
}

/**
 * The Kargo resources `kargo init` would create for the spec, in the order Kargo needs them:
 * Project, ProjectConfig (promotion policies), Warehouses, Stages.
 * @public
 */
export function projectManifests(
  spec: KargoProjectSpec,
): Array<Record<string, any>> {
  const ns = spec.project;
  const project = { apiVersion: API, kind: 'Project', metadata: { name: ns } };
  const config: ProjectConfig = {
    apiVersion: API,
    kind: 'ProjectConfig',
    metadata: { name: ns, namespace: ns },
    spec: {
      promotionPolicies: spec.stages.map(s => ({
        stageSelector: { name: s.name },
        autoPromotionEnabled: s.autoPromotion ?? !s.from?.length,
      })),
    },
  };
  const warehouses: Warehouse[] = spec.warehouses.map(w => ({
    apiVersion: API,
    kind: 'Warehouse',
    metadata: { name: w.name, namespace: ns },
    spec: {
      interval: '5m0s',
      freightCreationPolicy: 'Automatic',
      subscriptions: [
        ...(w.image
          ? [
              {
                image: {
                  repoURL: w.image.repoURL,
                  ...(w.image.semverConstraint
                    ? { constraint: w.image.semverConstraint }
                    : {}),
                  ...(w.image.allowTags
                    ? { allowTags: w.image.allowTags }
                    : {}),
                  imageSelectionStrategy: 'SemVer',
                  discoveryLimit: 20,
                },
              },
            ]
          : []),
        ...(w.git
          ? [
              {
                git: {
                  repoURL: w.git.repoURL,
                  branch: w.git.branch ?? 'main',
                  commitSelectionStrategy: 'NewestFromBranch',
                  discoveryLimit: 20,
                },
              },
            ]
          : []),
      ],
    } as unknown as Warehouse['spec'],
  }));
  const stages: Stage[] = spec.stages.map(s => ({
    apiVersion: API,
    kind: 'Stage',
    metadata: { name: s.name, namespace: ns },
    spec: {
      requestedFreight: spec.warehouses
        .filter(w => !s.warehouses || s.warehouses.includes(w.name))
        .map(w => ({
          origin: { kind: 'Warehouse', name: w.name },
          sources: s.from?.length ? { stages: s.from } : { direct: true },
        })),
      promotionTemplate: { spec: { steps: stageSteps(spec, s) } },
      ...(s.verification
        ? {
            verification: {
              analysisTemplates: [{ name: s.verification }],
            },
          }
        : {}),
    } as Stage['spec'],
  }));
  return [project, config, ...warehouses, ...stages];
}

/** Problems with the spec Kargo would only find one resource at a time. */
export function specProblems(spec: KargoProjectSpec): string[] {
  const problems: string[] = [];
  const stageNames = new Set<string>();
  const warehouseNames = new Set(spec.warehouses.map(w => w.name));
  if (warehouseNames.size !== spec.warehouses.length) {
    problems.push('warehouse names must be unique');
  }
  for (const w of spec.warehouses) {
    if (!w.image && !w.git) {
      problems.push(`warehouse ${w.name} subscribes to nothing (image or git)`);
    }
  }
  for (const s of spec.stages) {
    if (stageNames.has(s.name))
      problems.push(`stage ${s.name} is listed twice`);
    for (const from of s.from ?? []) {
      if (!stageNames.has(from)) {
        problems.push(
          `stage ${s.name} takes freight from ${from}, which must come before it`,
        );
      }
    }
    for (const w of s.warehouses ?? []) {
      if (!warehouseNames.has(w)) {
        problems.push(`stage ${s.name} names unknown warehouse ${w}`);
      }
    }
    stageNames.add(s.name);
  }
  return problems;
}
