import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import { z } from 'zod/v3';
import { pathParams } from './schemas';
import { OperationCall, OperationResult } from './types';

/**
 * The HTTP request as a call for a service: who asks (401 before anything is audited), the
 * path, the body, the user's Kargo token and the Idempotency-Key.
 */
export async function callOf(
  httpAuth: HttpAuthService,
  req: express.Request,
): Promise<OperationCall<any>> {
  return {
    credentials: await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    }),
    params: req.params as z.infer<typeof pathParams>,
    body: req.body ?? {},
    kargoToken: req.header('x-kargo-token'),
    idempotencyKey: req.header('idempotency-key'),
    request: req,
  };
}

/** Sends an operation's result as the HTTP answer. */
export function sendResult(res: express.Response, result: OperationResult) {
  res.set(result.headers ?? {});
  if (result.body === undefined) res.status(result.status).end();
  else res.status(result.status).json(result.body);
}
