/**
 * 全国地方公共団体コード (JIS X 0402 plus a check digit): 6 digits, the last one computed
 * from the first five by modulus 11 with weights 6, 5, 4, 3, 2.
 */

export function checkDigit(firstFive: string): number {
  if (!/^\d{5}$/.test(firstFive)) throw new RangeError(`5 digits expected: ${firstFive}`);
  const weights = [6, 5, 4, 3, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(firstFive[i]), 0);
  // 11 - remainder, keeping only the last digit (remainder 0 → 1, remainder 1 → 0).
  return (11 - (sum % 11)) % 10;
}

export function isValidLocalGovernmentCode(code: string): boolean {
  return /^\d{6}$/.test(code) && checkDigit(code.slice(0, 5)) === Number(code[5]);
}

/** The 6-digit code from a 5-digit one (as statistics tables often print it). */
export function withCheckDigit(firstFive: string): string {
  return `${firstFive}${checkDigit(firstFive)}`;
}
