/**
 * List filters kept in the URL (?status=queued&offset=50), so a filtered list is a link one can
 * share or reload. Changing any filter but `offset` goes back to the first page.
 */
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

export function useUrlFilters<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const values = useMemo(() => {
    const out = {} as Record<K, string>;
    for (const k of keys) out[k] = params.get(k) ?? '';
    return out;
  }, [params, keys]);
  const offset = Number(params.get('offset') ?? 0) || 0;
  const set = useCallback(
    (patch: Partial<Record<K | 'offset', string | number | null>>) => {
      setParams(
        () => {
          // From the address bar, not the hook's `prev`: react-router renders navigations in a
          // transition, so two quick changes (type, Enter, next field) could build on a stale
          // query and bring back a filter just cleared.
          const next = new URLSearchParams(window.location.search);
          for (const [k, v] of Object.entries(patch)) {
            if (v === null || v === undefined || v === '' || v === 0) next.delete(k);
            else next.set(k, String(v));
          }
          if (!('offset' in patch)) next.delete('offset');
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  const clear = useCallback(() => setParams(new URLSearchParams(), { replace: true }), [setParams]);
  const active = keys.some((k) => values[k] !== '');
  return { values, offset, set, clear, active };
}
