// The app: signs in, then the shell (navigation, who is signed in) around the current view.
import { useEffect, useState } from "preact/hooks";
import { all, api, ApiError, currentSession, setCsrf, whenSessionChanged, whenSignedOut } from "./lib/api";
import { navigate, onLinkClick, useLocation } from "./lib/router";
import { SessionContext, type Session } from "./lib/session";
import type { User } from "./lib/types";
import { SignIn } from "./views/sign_in";
import { Accounts } from "./views/accounts";
import { AccountPage } from "./views/account";
import { Home } from "./views/home";
import { Dashboards } from "./views/dashboards";
import { Reviews } from "./views/reviews";
import { Handoffs } from "./views/handoffs";
import { Settings, mayReadSettings } from "./views/settings";
import { People } from "./views/people";
import { Csm, mayReadCsmScoreboard } from "./views/csm";
import { Import } from "./views/import";
import { NewRule, RulePage, Rules } from "./views/rules";
import { Webhooks } from "./views/webhooks";
import { Models } from "./views/models";
import { InboxBell } from "./components/inbox_bell";
import { Loading, ErrorBox } from "./components/states";

async function loadSession(user: User, signOut: () => void): Promise<Session> {
  let users: User[] = [user];
  try {
    users = await all<User>("/api/v1/users");
  } catch {
    // Some roles may not list users; names fall back to ids.
  }
  return { user, users: new Map(users.map((u) => [u.id, u])), signOut };
}

const nav = [
  { to: "/", title: "Home" },
  { to: "/accounts", title: "Accounts" },
  { to: "/dashboards", title: "Dashboards" },
  { to: "/reviews", title: "Reviews" },
  { to: "/handoffs", title: "Handoffs" },
  { to: "/rules", title: "Rules" },
];

// The pages only some roles may use: shown only to them (the server refuses the rest anyway).
function navFor(role: string): { to: string; title: string }[] {
  return [
    ...nav,
    ...(mayReadCsmScoreboard(role) ? [{ to: "/csm", title: "CSM scoreboard" }] : []),
    ...(role === "admin" ? [{ to: "/import", title: "Import" }, { to: "/people", title: "People" }] : []),
    ...(mayReadSettings(role) ? [{ to: "/settings", title: "Settings" }] : []),
    // The models' quality is for those who judge them (anyone signed in may open the page).
    ...(["admin", "leader", "manager"].includes(role) ? [{ to: "/models", title: "Models" }] : []),
  ];
}

export function App() {
  const [session, setSession] = useState<Session | null | "checking">("checking");
  const [bootError, setBootError] = useState<ApiError | null>(null);
  const loc = useLocation();

  const signOut = async () => {
    try {
      await api.post("/api/v1/auth/logout");
    } catch {
      // Signed out already, or the server is away: forget the session here either way.
    }
    setCsrf(null);
    setSession(null);
    navigate("/", true);
  };

  const start = async (user: User) => setSession(await loadSession(user, signOut));

  useEffect(() => {
    whenSignedOut(() => setSession(null));
    whenSessionChanged((u) => void start(u));
    currentSession().then(
      (s) => start(s.user),
      (e: ApiError) => {
        if (e.status === 401) setSession(null);
        else setBootError(e);
      },
    );
  }, []);

  useEffect(() => {
    document.title = `${titleOf(loc.path)} · Orchard`;
  }, [loc.path]);

  if (bootError) {
    return (
      <main class="center">
        <ErrorBox error={bootError} retry={() => location.reload()} />
      </main>
    );
  }
  if (session === "checking") {
    return (
      <main class="center">
        <Loading what="Orchard" />
      </main>
    );
  }
  if (session === null) return <SignIn onSignedIn={(u) => start(u)} />;

  return (
    <SessionContext.Provider value={session}>
      <div class="shell" onClick={onLinkClick}>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <a href="/" class="brand" aria-label="Orchard home">
            Orchard
          </a>
          <nav aria-label="Main">
            <ul>
              {navFor(session.user.role).map((n) => (
                <li key={n.to}>
                  <a href={n.to} aria-current={isCurrent(loc.path, n.to) ? "page" : undefined}>
                    {n.title}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="who">
            <InboxBell path={loc.path} />
            <span data-testid="signed-in-user">
              {session.user.name || session.user.email} <span class="role">{session.user.role}</span>
            </span>
            <button type="button" onClick={signOut}>
              Sign out
            </button>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          <View path={loc.path} />
        </main>
      </div>
    </SessionContext.Provider>
  );
}

function isCurrent(path: string, to: string): boolean {
  return to === "/" ? path === "/" : path === to || path.startsWith(`${to}/`);
}

function titleOf(path: string): string {
  if (path.startsWith("/accounts/")) return "Account";
  if (path.startsWith("/accounts")) return "Accounts";
  if (path.startsWith("/dashboards")) return "Dashboards";
  if (path.startsWith("/reviews")) return "Reviews due";
  if (path.startsWith("/handoffs")) return "Handoffs";
  if (path.startsWith("/settings")) return "Settings";
  if (path.startsWith("/people")) return "People";
  if (path.startsWith("/csm")) return "CSM scoreboard";
  if (path.startsWith("/import")) return "Import";
  if (path === "/webhooks") return "Webhooks";
  if (path === "/models") return "Models";
  if (path === "/rules/new") return "New rule";
  if (path.startsWith("/rules/")) return "Rule";
  if (path.startsWith("/rules")) return "Rules";
  return "Home";
}

function View({ path }: { path: string }) {
  const account = /^\/accounts\/(\d+)$/.exec(path);
  if (account) return <AccountPage id={Number(account[1])} />;
  if (path === "/accounts") return <Accounts />;
  if (path === "/dashboards" || path.startsWith("/dashboards/")) return <Dashboards />;
  if (path === "/reviews") return <Reviews />;
  if (path === "/handoffs") return <Handoffs />;
  if (path === "/settings") return <Settings />;
  if (path === "/people") return <People />;
  if (path === "/csm") return <Csm />;
  if (path === "/import") return <Import />;
  if (path === "/rules") return <Rules />;
  if (path === "/rules/new") return <NewRule />;
  if (path === "/webhooks") return <Webhooks />;
  if (path === "/models") return <Models />;
  const rule = /^\/rules\/(\d+)$/.exec(path);
  if (rule) return <RulePage id={Number(rule[1])} />;
  if (path === "/") return <Home />;
  return (
    <section>
      <h1>Not found</h1>
      <p>
        There is no page at <code>{path}</code>. <a href="/">Go home</a>.
      </p>
    </section>
  );
}
