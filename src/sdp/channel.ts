import { type Channel, type ChannelOptions, credentials, Channel as GrpcChannel } from '@grpc/grpc-js';

/**
 * Channel settings for a platform that restarts: reconnect quickly (grpc-js starts at 1 s and grows
 * to 2 minutes by default, far too slow to notice a platform that came back), and keepalive pings
 * while calls run, so a silently dead connection under a long upload is found in seconds rather than
 * at the next TCP timeout. A platform must permit a ping every 30 s during calls (gRPC servers in Go
 * and C++ refuse faster pings with GOAWAY "too_many_pings" unless told otherwise).
 */
const CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.initial_reconnect_backoff_ms': 200,
  'grpc.min_reconnect_backoff_ms': 200,
  'grpc.max_reconnect_backoff_ms': 5000,
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 0,
  // A GetTask answer for a 20,000-device task is about 1 MiB.
  'grpc.max_receive_message_length': 16 * 1024 * 1024,
};

/** One channel per platform, shared by its three service clients. Plaintext: SDP runs on a closed network. */
export function openChannel(address: string): Channel {
  return new GrpcChannel(address, credentials.createInsecure(), CHANNEL_OPTIONS);
}
