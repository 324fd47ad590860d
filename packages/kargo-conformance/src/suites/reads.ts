import { Suite } from './suite';

export const reads: Suite = {
  title: 'reads',
  define(c) {
    let project: string;
    beforeAll(async () => {
      project = await c().newProject('reads');
    });

    it('lists the stages of a project with the client', async () => {
      const stages = await c().client().listStages(project);
      expect(stages.items?.map(s => s.metadata?.name).sort()).toEqual([
        'prod',
        'test',
        'uat',
      ]);
    });

    it('names created Freight by its content and lists it in a group', async () => {
      const freight = await c().createFreight(project);
      expect(freight.metadata?.name).toMatch(/^[0-9a-f]{40}$/);
      const answer = await c().api(
        'GET',
        `/v1beta1/projects/${project}/freight`,
      );
      expect(answer.status).toBe(200);
      const names = Object.values(answer.json.groups ?? {}).flatMap((g: any) =>
        g.items.map((f: any) => f.metadata.name),
      );
      expect(names).toContain(freight.metadata?.name);
    });

    it('answers 404 with a JSON error for a stage that does not exist', async () => {
      const answer = await c().api(
        'GET',
        `/v1beta1/projects/${project}/stages/nope`,
      );
      expect(answer.status).toBe(404);
      expect(typeof answer.json?.error).toBe('string');
    });
  },
};
