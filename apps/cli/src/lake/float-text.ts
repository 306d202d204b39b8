/**
 * The shortest digits that read back as `value`: of a double, or of a FLOAT (`single`), whose
 * JS number holds the float exactly and so would show digits the float never had (0.1 as
 * 0.10000000149011612). DuckDB writes about one float in three hundred with a digit or two more
 * (51163.4375 where 51163.438 reads back the same, 3807914.25 for 3807914.3): those keys still
 * differ. DOUBLE keys match.
 */
function shortestExponential(value: number, single: boolean): string {
  if (!single) return value.toExponential();
  for (let digits = 0; digits < 8; digits += 1) {
    const text = value.toExponential(digits);
    if (Math.fround(Number(text)) === value) return text;
  }
  return value.toExponential(8);
}

/**
 * A DOUBLE (or a FLOAT, `single`) as DuckDB casts it to VARCHAR, as its JSON writer names a
 * map's key by it: the shortest digits that read back as the value, with `.0` when whole, in
 * exponent form below 1e-4 and from 1e16 on, with an exponent of two digits at least; NaN and
 * the infinities as `nan`, `inf` and `-inf`. JavaScript's own text differs (`1`, `1e-7`, `NaN`).
 *
 * @example
 * floatText(1); // '1.0'
 * floatText(1e16); // '1e+16'
 * floatText(0.00001234); // '1.234e-05'
 * floatText(Math.fround(0.1), true); // '0.1'
 */
export function floatText(value: number, single = false): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa = '', power = ''] = shortestExponential(value, single).split('e');
  const exponent = Number(power);
  if (exponent < -4 || exponent >= 16) return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  const sign = value < 0 ? '-' : '';
  const digits = mantissa.replace(/[-.]/g, '');
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  return `${sign}${digits.slice(0, exponent + 1).padEnd(exponent + 1, '0')}.${digits.slice(exponent + 1) || '0'}`;
}
