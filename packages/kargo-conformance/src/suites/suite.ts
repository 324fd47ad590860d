import { Conformance } from '../harness';

/** A group of conformance tests; `define` registers them with `it`, reading the target lazily. */
export interface Suite {
  title: string;
  define(conformance: () => Conformance): void;
}
