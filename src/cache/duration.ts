// "30d", "12h", "90m", "2w", "45s" -> milliseconds (for `cache prune --older-than`).

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/i.exec(text);
  if (!m) throw new Error(`"${text}" is not a duration (a number and one of s, m, h, d, w, e.g. 30d)`);
  return Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]!;
}

export function formatAge(ms: number): string {
  const s = Math.max(0, ms / 1000);
  if (s < 120) return `${Math.round(s)}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}
