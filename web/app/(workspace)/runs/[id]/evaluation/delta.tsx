/** A metric's change from the previous evaluation, when there is one worth showing. */
export function Delta({ value }: { value: number | null }) {
  if (value === null || Math.abs(value) < 5e-4) return null;
  return (
    <span className={value > 0 ? 'delta-up small' : 'delta-down small'} title="Change from the previous evaluation">
      {' '}
      {value > 0 ? '+' : '−'}
      {Math.abs(value).toFixed(3)}
    </span>
  );
}
