import { HttpAuthService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthenticationError } from '@backstage/errors';
import express from 'express';
import { callOf } from './http';

const jane = mockCredentials.user('user:default/jane');

describe('callOf', () => {
  function request(
    headers: Record<string, string>,
    fields: Partial<express.Request> = {},
  ): express.Request {
    return {
      params: { instance: 'main', project: 'shop', stage: 'prod' },
      header: (name: string) => headers[name.toLocaleLowerCase('en-US')],
      ...fields,
    } as unknown as express.Request;
  }

  it('reads the credentials (users and services), the path, the body and x-kargo-token', async () => {
    const credentials = jest.fn(async () => jane);
    const httpAuth = mockServices.httpAuth.mock({
      credentials: credentials as HttpAuthService['credentials'],
    });
    const req = request(
      { 'x-kargo-token': 'dana-kargo-token' },
      { body: { freight: 'f1' } },
    );
    const call = await callOf(httpAuth, req);
    expect(credentials).toHaveBeenCalledWith(req, {
      allow: ['user', 'service'],
    });
    expect(call).toEqual({
      credentials: jane,
      params: { instance: 'main', project: 'shop', stage: 'prod' },
      body: { freight: 'f1' },
      kargoToken: 'dana-kargo-token',
      request: req,
    });
  });

  it('takes a missing body as empty and no token as none', async () => {
    const httpAuth = mockServices.httpAuth.mock({
      credentials: (async () => jane) as HttpAuthService['credentials'],
    });
    const call = await callOf(httpAuth, request({}));
    expect(call.body).toEqual({});
    expect(call.kargoToken).toBeUndefined();
  });

  it('lets a refusal of the credentials through (401 before anything else)', async () => {
    const refused = new AuthenticationError('no credentials');
    const httpAuth = mockServices.httpAuth.mock({
      credentials: (async () => {
        throw refused;
      }) as HttpAuthService['credentials'],
    });
    await expect(callOf(httpAuth, request({}))).rejects.toBe(refused);
  });
});
