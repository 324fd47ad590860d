import { mockCredentials } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { checked, Operation } from './operation';
import { approveBody, emptyBody } from './schemas';

const jane = mockCredentials.user('user:default/jane');

describe('checked', () => {
  const op = (params: object, body: unknown): Operation<unknown> =>
    ({
      credentials: jane,
      params,
      body,
      instance: 'main',
      project: 'shop',
      meta: {},
    } as unknown as Operation<unknown>);

  it('passes the parsed path and body on, with the rest of the operation', () => {
    const original = op(
      { instance: 'main', project: 'shop', freight: 'f1' },
      { stage: 'prod' },
    );
    const result = checked(original, approveBody);
    expect(result.params).toEqual({
      instance: 'main',
      project: 'shop',
      freight: 'f1',
    });
    expect(result.body).toEqual({ stage: 'prod' });
    expect(result.credentials).toBe(jane);
    expect(result.meta).toBe(original.meta);
  });

  it('takes a missing body as empty', () => {
    expect(
      checked(op({ instance: 'main', project: 'shop' }, undefined), emptyBody)
        .body,
    ).toEqual({});
  });

  it('answers 400 naming the path field that is wrong', () => {
    expect(() =>
      checked(op({ instance: 'main', project: 'Shop_1' }, {}), emptyBody),
    ).toThrow(
      new InputError(
        'Invalid path: project: must be a lowercase Kubernetes object name',
      ),
    );
    expect(() =>
      checked(op({ instance: 'main', project: 'Shop_1' }, {}), emptyBody),
    ).toThrow(InputError);
  });

  it('answers 400 naming the body field that is wrong', () => {
    const call = () =>
      checked(
        op({ instance: 'main', project: 'shop' }, { stage: 'Prod' }),
        approveBody,
      );
    expect(call).toThrow(InputError);
    expect(call).toThrow(
      'Invalid request body: stage: must be a lowercase Kubernetes object name',
    );
    expect(() =>
      checked(op({ instance: 'main', project: 'shop' }, {}), approveBody),
    ).toThrow(/^Invalid request body: stage: /);
  });
});
