// Loading a value from the API with its three states, and reloading it on demand.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "./api";

export type Loaded<T> =
  | { state: "loading" }
  | { state: "error"; error: ApiError }
  | { state: "ready"; value: T };

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [Loaded<T>, () => void, (v: T) => void] {
  const [value, setValue] = useState<Loaded<T>>({ state: "loading" });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  const lastTick = useRef(tick);
  useEffect(() => {
    const mine = ++seq.current;
    // New inputs show the loading state; a reload keeps what is on screen until the answer.
    if (tick === lastTick.current) setValue({ state: "loading" });
    lastTick.current = tick;
    load().then(
      (v) => mine === seq.current && setValue({ state: "ready", value: v }),
      (e: unknown) =>
        mine === seq.current &&
        setValue({ state: "error", error: e instanceof ApiError ? e : new ApiError(0, "client", String(e)) }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const set = useCallback((v: T) => setValue({ state: "ready", value: v }), []);
  return [value, reload, set];
}
