// What a stale edit looks like: the server kept someone else's newer version (409), and the
// user's own text stays on screen until they choose to save it over theirs or take theirs.
export function ConflictNotice({
  what,
  currentVersion,
  onKeepMine,
  onTakeTheirs,
}: {
  what: string;
  currentVersion: number;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
}) {
  return (
    <div class="conflict" role="alert" data-testid="conflict">
      <strong>Someone else changed {what} while you were editing</strong> (it is now version {currentVersion}). Your
      edit is kept here and was not saved.
      <div class="row">
        <button type="button" class="primary" onClick={onKeepMine}>
          Save mine over theirs
        </button>
        <button type="button" onClick={onTakeTheirs}>
          Discard mine, show theirs
        </button>
      </div>
    </div>
  );
}
