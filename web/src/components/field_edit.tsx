// One field of a plan's row changed in place: a small "Change" button (named for what it
// changes), then the input with Save and Cancel; Escape cancels. `save` answers whether it was
// stored (a refused write is shown by the list the row is in).
import { useState } from "preact/hooks";

function title(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export function FieldEdit({
  name,
  value,
  type = "text",
  save,
}: {
  name: string; // "the mitigation of “Budget freeze”": the button says "Change {name}"
  value: string;
  type?: "text" | "date";
  save: (value: string) => Promise<boolean>;
}) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(value);
  if (!editing) {
    return (
      <button
        type="button"
        class="link"
        aria-label={`Change ${name}`}
        onClick={() => {
          setText(value);
          setEditing(true);
        }}
      >
        Change
      </button>
    );
  }
  return (
    <form
      class="inline-edit"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await save(text)) setEditing(false);
      }}
    >
      {type === "date" ? (
        <input type="date" aria-label={title(name)} value={text} ref={(el) => el?.focus()} onInput={(e) => setText((e.target as HTMLInputElement).value)} onKeyDown={(e) => e.key === "Escape" && setEditing(false)} />
      ) : (
        <input aria-label={title(name)} value={text} ref={(el) => el?.focus()} onInput={(e) => setText((e.target as HTMLInputElement).value)} onKeyDown={(e) => e.key === "Escape" && setEditing(false)} />
      )}
      <button type="submit">Save</button>
      <button type="button" onClick={() => setEditing(false)}>
        Cancel
      </button>
    </form>
  );
}
