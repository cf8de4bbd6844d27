/**
 * Phone-number matching for the standalone host's screen pop. Pure.
 *
 * Visitors type numbers in international (`+62 812…`) or national (`0812…`) form, so two numbers match when
 * their digits are equal, or when the national one, without its trunk prefix `0`, is a suffix of the
 * international one and long enough (≥ 8 digits) not to match by accident.
 */

const MIN_SUFFIX_DIGITS = 8;

export function phoneDigits(raw: string): string {
  return raw.replace(/\D/g, '');
}

export function phonesMatch(a: string, b: string): boolean {
  const x = phoneDigits(a);
  const y = phoneDigits(b);
  if (x === '' || y === '') return false;
  if (x === y) return true;
  const [shorter, longer] = x.length <= y.length ? [x, y] : [y, x];
  const national = shorter.replace(/^0+/, '');
  return national.length >= MIN_SUFFIX_DIGITS && longer.length > national.length && longer.endsWith(national);
}

export function emailsMatch(a: string, b: string): boolean {
  const x = a.trim().toLowerCase();
  return x !== '' && x === b.trim().toLowerCase();
}
