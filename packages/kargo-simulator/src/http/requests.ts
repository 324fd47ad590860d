import express, { NextFunction, Request, Response } from 'express';
import { HttpError } from './HttpError';

export type Handler = (req: Request, res: Response) => unknown;

/** Runs a handler, sending what it throws to Express's error handling. */
export function wrap(handler: Handler) {
  return (req: Request, res: Response, next: NextFunction) => {
    try {
      const result = handler(req, res);
      if (result instanceof Promise) result.catch(next);
    } catch (error) {
      next(error);
    }
  };
}

/**
 * Kargo reads request bodies raw, whatever the Content-Type, through a MaxBytesReader:
 * 1 MiB, 4 MiB on /resources. Too much is answered 400 "http: request body too large".
 */
export function rawBody(limit: string) {
  const parse = express.raw({ type: () => true, limit });
  return (req: Request, res: Response, next: NextFunction) =>
    parse(req, res, error => {
      if (error?.type === 'entity.too.large') {
        next(new HttpError(400, 'http: request body too large'));
      } else {
        next(error);
      }
    });
}

export function bodyText(req: Request): string {
  return Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
}

/** gin's ShouldBindJSON: an empty body is "EOF", anything but an object a decode error. */
export function jsonBody(req: Request): Record<string, unknown> {
  const text = bodyText(req);
  if (!text.trim()) throw new HttpError(400, 'EOF');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, (error as Error).message);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new HttpError(
      400,
      'json: cannot unmarshal into Go value of type object',
    );
  }
  return parsed as Record<string, unknown>;
}

export function stringField(
  body: Record<string, unknown>,
  field: string,
): string {
  const value = body[field];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') {
    throw new HttpError(
      400,
      `json: cannot unmarshal ${typeof value} into Go struct field .${field} of type string`,
    );
  }
  return value;
}

export function queryParam(req: Request, name: string): string {
  const value = req.query[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return '';
}

/** gin's QueryArray: repeated keys; commas are not separators. */
export function queryArray(req: Request, name: string): string[] {
  const value = req.query[name];
  const values = Array.isArray(value) ? value : [value];
  return values.filter((v): v is string => typeof v === 'string' && v !== '');
}

export const isWatch = (req: Request) => req.query.watch === 'true';
