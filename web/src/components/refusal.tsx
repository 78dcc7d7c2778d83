// A write the server did not take, in its own words: "You can't change this account: it's in
// Bob Reed's book", a field's problem, a conflict. Never "Could not load": nothing failed to load.
import type { ApiError } from "../lib/api";

export function WriteError({ error }: { error: ApiError }) {
  const fields = error.fields.filter((f) => f.message && f.field !== "x-csrf-token");
  return (
    <div class="state error" role="alert" data-testid="write-error">
      <strong>{error.status === 403 ? "Not saved." : "Not saved:"}</strong> {error.message}
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={f.field}>
              {f.field}: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
