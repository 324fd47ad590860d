import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { parse } from 'yaml';

/**
 * Runs the steps of an action's documented example that use the action, as the scaffolder
 * would with a mock context: `${{ ... }}` expressions are taken from `values` (a template's
 * parameters or earlier steps' outputs). Returns each run step's outputs.
 */
export async function runExample(
  action: TemplateAction<any, any, any>,
  index = 0,
  values: Record<string, string> = {},
): Promise<Array<Record<string, unknown>>> {
  const example = action.examples?.[index];
  if (!example) throw new Error(`${action.id} has no example ${index}`);
  const steps: Array<{ action: string; input: unknown }> = parse(
    example.example,
  ).steps;
  const runs = steps.filter(step => step.action === action.id);
  if (!runs.length) throw new Error(`example ${index} never uses ${action.id}`);
  const outputs = [];
  for (const step of runs) {
    const input = JSON.parse(
      JSON.stringify(step.input).replace(
        /\$\{\{\s*([^}]*?)\s*\}\}/g,
        (_, expression: string) => {
          if (!(expression in values)) {
            throw new Error(`no value for \${{ ${expression} }}`);
          }
          // Inside the JSON of the input: escaped as a JSON string's content.
          return JSON.stringify(values[expression]).slice(1, -1);
        },
      ),
    );
    const ctx = createMockActionContext({ input });
    await action.handler(ctx as any);
    outputs.push(
      Object.fromEntries(
        (ctx.output as jest.Mock).mock.calls.map(([name, value]) => [
          name,
          value,
        ]),
      ),
    );
  }
  return outputs;
}
