import { appendFailureOf } from './postgres-error-codes';

describe('appendFailureOf', () => {
  it('given a unique violation on the event id constraint, then it is a duplicate event id', () => {
    expect(appendFailureOf({ code: '23505', constraint: 'events_id_key' })).toBe('duplicate_event_id');
  });

  it('given a unique violation on (stream, version) or on the streams key, then the stream version was taken', () => {
    expect(appendFailureOf({ code: '23505', constraint: 'events_stream_version_key' })).toBe('stream_version_taken');
    expect(appendFailureOf({ code: '23505', constraint: 'streams_pkey' })).toBe('stream_version_taken');
  });

  it('given a serialization failure or a deadlock, then a concurrent transaction got in the way', () => {
    expect(appendFailureOf({ code: '40001' })).toBe('concurrent_transaction');
    expect(appendFailureOf({ code: '40P01' })).toBe('concurrent_transaction');
  });

  it('given any other error, a unique violation of another constraint, or no error object, then it is not an append failure', () => {
    expect(appendFailureOf({ code: '23505', constraint: 'checkpoints_pkey' })).toBeUndefined();
    expect(appendFailureOf({ code: '08006' })).toBeUndefined();
    expect(appendFailureOf(new Error('connection terminated'))).toBeUndefined();
    expect(appendFailureOf(null)).toBeUndefined();
    expect(appendFailureOf('23505')).toBeUndefined();
  });
});
