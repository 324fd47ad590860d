import { stage } from '../harness';
import { GitServer, startGitServer } from '../git/gitServer';
import { Suite } from './suite';

/*
 * A promotion with Kargo's git steps against a git host the suite starts on 127.0.0.1:
 * git-clone, file-write, git-commit and git-push to the stage's branch. Kargo really clones and
 * pushes; the simulator only reports the steps' outputs, so what both must agree on is the
 * Promotion as Kargo records it.
 */
export const gitPromotion: Suite = {
  title: 'git promotion steps',
  define(c) {
    let git: GitServer & {
      repository(n: string, f: Record<string, string>): void;
    };
    let project: string;
    let repoURL: string;
    beforeAll(async () => {
      git = await startGitServer();
      git.repository('deploy', { 'README.md': '# deploy\n' });
      repoURL = git.url('deploy');
      const steps = [
        {
          uses: 'git-clone',
          config: { repoURL, checkout: [{ branch: 'main', path: './src' }] },
        },
        {
          uses: 'file-write',
          config: { path: './src/stage.txt', contents: 'test\n' },
        },
        {
          uses: 'git-commit',
          as: 'commit',
          config: { path: './src', message: 'Promote to test' },
        },
        {
          uses: 'git-push',
          as: 'push',
          config: { path: './src', targetBranch: 'stage/test' },
        },
      ];
      project = await c().newProject('git', {
        stages: [],
      });
      const test = stage(project, 'test', { warehouse: 'wh' }) as any;
      test.spec.promotionTemplate.spec.steps = steps;
      await c().apply([test]);
    });
    afterAll(() => git?.close());

    it('runs git-clone, file-write, git-commit and git-push, and records their outputs', async () => {
      const freight = await c().createFreight(project);
      const promotion = await c()
        .client()
        .promoteToStage(project, 'test', { freight: freight.metadata!.name! });
      const name = promotion.metadata!.name!;
      const done = await c().eventually(
        `promotion ${name} to finish`,
        async () => {
          const p = await c().client().getPromotion(project, name);
          return ['Succeeded', 'Failed', 'Errored'].includes(
            p.status?.phase ?? '',
          )
            ? p
            : undefined;
        },
      );
      // The message names the failing step when it did not succeed.
      expect({
        phase: done.status?.phase,
        message: done.status?.message,
      }).toMatchObject({ phase: 'Succeeded' });
      const state = done.status?.state as any;
      expect(state.push.branch).toBe('stage/test');
      expect(state.push.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(state.commit.commit).toBe(state.push.commit);
    });
  },
};
