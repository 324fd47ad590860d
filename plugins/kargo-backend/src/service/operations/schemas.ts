import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';

/** Kubernetes object names: what Kargo accepts for stages, warehouses, freight and promotions. */
export const objectName = z
  .string()
  .min(1)
  .max(253)
  .regex(
    /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
    'must be a lowercase Kubernetes object name',
  );

/** Kargo stores an alias as a label value. */
const alias = z
  .string()
  .min(1)
  .max(63)
  .regex(
    /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/,
    'must be a valid label value (letters, digits, - _ . ; at most 63)',
  );

export const pathParams = z.object({
  instance: z.string().min(1).max(63),
  project: objectName,
  stage: objectName.optional(),
  warehouse: objectName.optional(),
  promotion: objectName.optional(),
  /** A name or an alias, as in Kargo's `{freight-name-or-alias}`. */
  freight: z.union([objectName, alias]).optional(),
  /** A Kargo role. */
  role: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kargo role name')
    .max(63)
    .optional(),
  /** Credentials, a promotion window or an approval policy. */
  name: objectName.optional(),
  /** An approval request. */
  id: z
    .string()
    .regex(/^[0-9a-f-]{36}$/, 'must be an approval request id')
    .optional(),
});

/** Kargo's PromoteToStageRequest, minus `origin` (the portal always names the freight). */
export const promoteBody = z
  .object({
    freight: objectName.optional(),
    freightAlias: alias.optional(),
    /** Gates whose confirmation the user accepted (e.g. a "do not promote" verdict). */
    confirm: z.array(z.string().min(1).max(100)).max(20).optional(),
    /** Overridable gates whose deny to override; each needs its gate's override permission. */
    override: z.array(z.string().min(1).max(100)).max(20).optional(),
    /** The same as override: ['freeze'], as clients before `override` send it. */
    overrideFreeze: z.boolean().optional(),
  })
  .strict()
  .refine(b => Boolean(b.freight) !== Boolean(b.freightAlias), {
    message: 'exactly one of freight or freightAlias must be provided',
  });

export const approveBody = z.object({ stage: objectName }).strict();

export const aliasBody = z.object({ alias }).strict();

export const emptyBody = z.object({}).strict();

/** A client-chosen key; printable, short, so it can be part of a cache key. */
export const idempotencyKey = z
  .string()
  .min(8)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only')
  .optional();

export function parse<S extends z.ZodTypeAny>(
  schema: S,
  value: unknown,
  what: string,
): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new InputError(
      `Invalid ${what}: ${parsed.error.issues
        .map(i => (i.path.length ? `${i.path.join('.')}: ` : '') + i.message)
        .join('; ')}`,
    );
  }
  return parsed.data;
}
