import { useEffect, useState } from 'preact/hooks';
import { saveToken, storedToken } from './api/token.js';
import { GroupsView } from './groups/groups-view.js';
import { useConnectionState } from './hooks/use-connection.js';
import { rolloutIdOfHash } from './rollouts/rollout-links.js';
import { RolloutsView } from './rollouts/rollouts-view.js';
import { SeatsView } from './seats/seats-view.js';
import { SegmentsView } from './segments/segments-view.js';
import { SigningKeysView } from './trust/signing-keys-view.js';

type View = 'segments' | 'seats' | 'groups' | 'rollouts' | 'keys';

const SIMPLE_VIEWS: Readonly<Record<string, View>> = {
  '#/seats': 'seats',
  '#/groups': 'groups',
  '#/keys': 'keys',
};

/** The view is in the URL's hash, so a reload or a shared link opens the same one (no server routes). */
function viewOfHash(): View {
  const hash = window.location.hash;
  if (hash === '#/rollouts' || rolloutIdOfHash(hash)) return 'rollouts';
  return SIMPLE_VIEWS[hash] ?? 'segments';
}

export function App() {
  const [view, setView] = useState<View>(viewOfHash);
  const [rolloutId, setRolloutId] = useState(() => rolloutIdOfHash(window.location.hash));
  useEffect(() => {
    const onHash = () => {
      setView(viewOfHash());
      setRolloutId(rolloutIdOfHash(window.location.hash));
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  return (
    <>
      <header class="top">
        <h1>seghub</h1>
        <nav aria-label="Views">
          <a href="#/segments" aria-current={view === 'segments' ? 'page' : undefined}>
            Segments
          </a>
          <a href="#/seats" aria-current={view === 'seats' ? 'page' : undefined}>
            Seats
          </a>
          <a href="#/groups" aria-current={view === 'groups' ? 'page' : undefined}>
            Groups
          </a>
          <a href="#/rollouts" aria-current={view === 'rollouts' ? 'page' : undefined}>
            Rollouts
          </a>
          <a href="#/keys" aria-current={view === 'keys' ? 'page' : undefined}>
            Signing keys
          </a>
        </nav>
        <ConnectionBadge />
        <TokenField />
        <a class="graphiql" href="/graphql">
          GraphiQL
        </a>
      </header>
      <main>
        {view === 'segments' ? (
          <SegmentsView />
        ) : view === 'seats' ? (
          <SeatsView />
        ) : view === 'groups' ? (
          <GroupsView />
        ) : view === 'keys' ? (
          <SigningKeysView />
        ) : (
          <RolloutsView rolloutId={rolloutId} />
        )}
      </main>
    </>
  );
}

const CONNECTION_WORDS = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' } as const;

function ConnectionBadge() {
  const state = useConnectionState();
  return (
    <span class={`connection connection-${state}`} role="status" aria-label="Live updates">
      {CONNECTION_WORDS[state]}
    </span>
  );
}

/** Where an operator pastes an API token when seghub enforces authentication (not needed in open mode). */
function TokenField() {
  const [token, setToken] = useState(storedToken);
  return (
    <details class="token">
      <summary>{storedToken() ? 'Token set' : 'API token'}</summary>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          saveToken(token);
        }}
      >
        <input
          type="password"
          aria-label="API token"
          autocomplete="off"
          value={token}
          onInput={(event) => setToken(event.currentTarget.value)}
        />
        <button type="submit">{token.trim() ? 'Use' : 'Forget'}</button>
      </form>
    </details>
  );
}
