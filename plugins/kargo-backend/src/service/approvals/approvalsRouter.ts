import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { callOf, sendResult } from '../operations/operation';
import { ApprovalService } from './ApprovalService';

/** Approval policies and requests over HTTP. */
export function createApprovalsRouter(options: {
  httpAuth: HttpAuthService;
  approvals: ApprovalService;
}): express.Router {
  const { httpAuth, approvals } = options;
  const router = Router();
  const project = '/instances/:instance/projects/:project';

  router.get(`${project}/approval-policies`, async (req, res) => {
    const { credentials, params } = await callOf(httpAuth, req);
    res.json(await approvals.listPolicies(credentials, params));
  });
  router.post(`${project}/approval-policies`, async (req, res) =>
    sendResult(res, await approvals.createPolicy(await callOf(httpAuth, req))),
  );
  router.delete(`${project}/approval-policies/:name`, async (req, res) =>
    sendResult(res, await approvals.deletePolicy(await callOf(httpAuth, req))),
  );
  router.get(`${project}/approval-requests`, async (req, res) => {
    const { credentials, params } = await callOf(httpAuth, req);
    res.json(await approvals.listRequests(credentials, params, req.query));
  });
  router.post(`${project}/approval-requests`, async (req, res) =>
    sendResult(res, await approvals.createRequest(await callOf(httpAuth, req))),
  );
  router.post(`${project}/approval-requests/:id/votes`, async (req, res) =>
    sendResult(res, await approvals.vote(await callOf(httpAuth, req))),
  );
  return router;
}
