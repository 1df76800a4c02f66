// Numbers as the report shows them: four significant digits, exponents for the very
// large and very small, and a value with its uncertainty as "v ± s".

/** Four significant digits, no trailing zeros; exponent form below 1e-3 and from 1e6. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs < 1e-3 || abs >= 1e6) return v.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(4)));
}

/** "v ± sigma". */
export function formatMeasured(v: number, sigma: number): string {
  return `${formatNumber(v)} ± ${formatNumber(sigma)}`;
}

const SUBSCRIPT_DIGITS = '₀₁₂₃₄₅₆₇₈₉';

/**
 * A ROOT axis title as plain text: TLatex's digit subscripts as Unicode ones
 * ("log_{10} cS2" -> "log₁₀ cS2"), any other "_{x}" as "_x".
 */
export function plainTitle(title: string): string {
  return title.replace(/_\{([^{}]*)\}/g, (_, sub: string) =>
    /^[0-9]+$/.test(sub) ? [...sub].map((d) => SUBSCRIPT_DIGITS[Number(d)]).join('') : `_${sub}`,
  );
}
