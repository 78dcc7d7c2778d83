// The three states every view shows besides its data: loading, empty and error.
import type { ComponentChildren } from "preact";
import type { ApiError } from "../lib/api";
import type { Loaded } from "../lib/hooks";

export function Loading({ what }: { what: string }) {
  return (
    <div class="state loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> Loading {what}…
    </div>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return (
    <div class="state empty" role="status">
      {children}
    </div>
  );
}

export function ErrorBox({ error, retry }: { error: ApiError; retry?: () => void }) {
  return (
    <div class="state error" role="alert">
      <strong>Could not load.</strong> {error.message}
      {retry && (
        <button type="button" class="link" onClick={retry}>
          Retry
        </button>
      )}
    </div>
  );
}

// Renders `children(value)` once loaded; the loading and error states otherwise.
export function Show<T>({
  loaded,
  what,
  retry,
  children,
}: {
  loaded: Loaded<T>;
  what: string;
  retry?: () => void;
  children: (value: T) => ComponentChildren;
}) {
  if (loaded.state === "loading") return <Loading what={what} />;
  if (loaded.state === "error") return <ErrorBox error={loaded.error} {...(retry ? { retry } : {})} />;
  return <>{children(loaded.value)}</>;
}
