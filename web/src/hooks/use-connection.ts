import { useEffect, useState } from 'preact/hooks';
import { type ConnectionState, connectionState, onConnectionState } from '../api/live.js';

export function useConnectionState(): ConnectionState {
  const [state, setState] = useState(connectionState());
  useEffect(() => onConnectionState(() => setState(connectionState())), []);
  return state;
}
