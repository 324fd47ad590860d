import type {
  FreightLink,
  FreightMetadataInput,
  FreightMetadataView,
} from '@kargo-backstage/plugin-kargo-common';

/** The edit form's text fields: labels as `key=value` lines, links as `title | url` lines. */
export interface MetadataFormValues {
  notes: string;
  labels: string;
  links: string;
  verdict: '' | 'recommended' | 'do-not-promote';
  reason: string;
}

export function toForm(metadata?: FreightMetadataView): MetadataFormValues {
  return {
    notes: metadata?.notes ?? '',
    labels: Object.entries(metadata?.labels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
    links: (metadata?.links ?? []).map(l => `${l.title} | ${l.url}`).join('\n'),
    verdict: metadata?.verdict?.value ?? '',
    reason: metadata?.verdict?.reason ?? '',
  };
}

/** Turns the form into a write over `version`; throws with a message on lines it cannot read. */
export function fromForm(
  values: MetadataFormValues,
  version: number,
): FreightMetadataInput {
  const lines = (text: string) =>
    text
      .split('\n')
      .map(l => l.trim())
      .filter(Boolean);
  const labels: Record<string, string> = {};
  for (const line of lines(values.labels)) {
    const at = line.indexOf('=');
    if (at < 1) throw new Error(`Label "${line}" is not key=value`);
    labels[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  const links: FreightLink[] = lines(values.links).map(line => {
    const at = line.lastIndexOf('|');
    if (at < 0) throw new Error(`Link "${line}" is not "title | url"`);
    return { title: line.slice(0, at).trim(), url: line.slice(at + 1).trim() };
  });
  return {
    version,
    notes: values.notes.trim() || undefined,
    labels,
    links,
    verdict: values.verdict
      ? { value: values.verdict, reason: values.reason.trim() || undefined }
      : null,
  };
}
