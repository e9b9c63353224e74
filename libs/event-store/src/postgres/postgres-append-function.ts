import { escapeIdentifier, escapeLiteral } from 'pg';
import { APPEND_ORDER_LOCK } from './postgres-locks';

/** SQLSTATEs the append function raises for the two refusals the port names (class "SK", Stockade's own). */
export const FENCE_LOST_SQLSTATE = 'SKF01';
export const VERSION_CONFLICT_SQLSTATE = 'SKV01';

/**
 * One append, one round trip (ADR 0034): the whole of what appendInTransaction did in seven
 * statements (BEGIN, the fences, the stream locks, the versions, NOTIFY, the order lock, the
 * insert, COMMIT), as one PL/pgSQL function called in autocommit, so it is one transaction.
 * The order of the locks is the same, so old and new writers can share a schema:
 *   1. the fences FOR SHARE (a holder taking one waits for this append, or made it fail here);
 *   2. the stream rows, created at -1 if missing, locked in byte order of their names (no
 *      crosswise deadlock between multi-stream appends); streams only checked are read;
 *   3. the expected versions checked;
 *   4. versions advanced, NOTIFY (delivered on commit), the order lock taken, the events
 *      inserted in call order: positions follow versions and commit in position order.
 * A refusal raises FENCE_LOST_SQLSTATE or VERSION_CONFLICT_SQLSTATE with JSON in the message,
 * which the adapter turns back into FenceLost or ExpectedVersionConflict.
 */
export function appendFunctionDdl(schema: string): string {
  const s = escapeIdentifier(schema);
  const lock = `pg_advisory_xact_lock(${APPEND_ORDER_LOCK}, hashtext(${escapeLiteral(schema)}))`;
  return `
    CREATE OR REPLACE FUNCTION ${s}.append_events(
      p_streams text[], p_expected text[], p_counts int[],
      p_request int[], p_offset int[], p_ids text[], p_types text[], p_data jsonb[], p_metadata jsonb[],
      p_recorded_at timestamptz, p_fence_names text[], p_fence_epochs bigint[], p_channel text, p_instance text
    ) RETURNS TABLE (stream text, next_version int, last_position bigint)
    LANGUAGE plpgsql AS $append$
    #variable_conflict use_column
    DECLARE
      v_actual int[];
      v_lost record;
      v_expected text;
      v_ok boolean;
    BEGIN
      IF cardinality(p_fence_names) > 0 THEN
        PERFORM 1 FROM ${s}.fences f WHERE f.name = ANY(p_fence_names) FOR SHARE;
        SELECT wanted.name, wanted.epoch, coalesce(f.epoch, 0) AS current INTO v_lost
          FROM unnest(p_fence_names, p_fence_epochs) WITH ORDINALITY AS wanted(name, epoch, ordinality)
          LEFT JOIN ${s}.fences f ON f.name = wanted.name
          WHERE coalesce(f.epoch, 0) <> wanted.epoch
          ORDER BY wanted.ordinality LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION USING ERRCODE = '${FENCE_LOST_SQLSTATE}',
            MESSAGE = json_build_object('name', v_lost.name, 'epoch', v_lost.epoch, 'current', v_lost.current)::text;
        END IF;
      END IF;

      WITH locked AS (
        INSERT INTO ${s}.streams AS existing (stream, version)
        SELECT name, -1 FROM unnest(p_streams, p_counts) AS r(name, count) WHERE r.count > 0 ORDER BY name COLLATE "C"
        ON CONFLICT (stream) DO UPDATE SET version = existing.version
        RETURNING existing.stream, existing.version
      ), checked AS (
        SELECT st.stream, st.version FROM ${s}.streams st
        WHERE st.stream IN (SELECT name FROM unnest(p_streams, p_counts) AS r(name, count) WHERE r.count = 0)
      ), known AS (SELECT * FROM locked UNION ALL SELECT * FROM checked)
      SELECT array_agg(coalesce(known.version, -1) ORDER BY r.ordinality) INTO v_actual
        FROM unnest(p_streams) WITH ORDINALITY AS r(name, ordinality)
        LEFT JOIN known ON known.stream = r.name;

      FOR i IN 1 .. cardinality(p_streams) LOOP
        v_expected := p_expected[i];
        v_ok := CASE v_expected
          WHEN 'any' THEN true
          WHEN 'no_stream' THEN v_actual[i] = -1
          WHEN 'stream_exists' THEN v_actual[i] >= 0
          ELSE v_actual[i] = v_expected::int
        END;
        IF NOT v_ok THEN
          RAISE EXCEPTION USING ERRCODE = '${VERSION_CONFLICT_SQLSTATE}',
            MESSAGE = json_build_object('request', i - 1, 'actual', v_actual[i])::text;
        END IF;
      END LOOP;

      IF cardinality(p_ids) = 0 THEN
        RETURN QUERY SELECT r.name, v_actual[r.ordinality::int], 0::bigint
          FROM unnest(p_streams) WITH ORDINALITY AS r(name, ordinality) ORDER BY r.ordinality;
        RETURN;
      END IF;

      UPDATE ${s}.streams AS existing SET version = v_actual[r.ordinality::int] + r.count
        FROM unnest(p_streams, p_counts) WITH ORDINALITY AS r(name, count, ordinality)
        WHERE r.count > 0 AND existing.stream = r.name;
      PERFORM pg_notify(p_channel, p_instance);
      PERFORM ${lock};
      RETURN QUERY
        WITH inserted AS (
          INSERT INTO ${s}.events AS ev (stream, version, id, type, data, metadata, recorded_at)
          SELECT p_streams[e.request], v_actual[e.request] + e.offset_in_request + 1, e.id, e.type, e.data, e.metadata, p_recorded_at
          FROM unnest(p_request, p_offset, p_ids, p_types, p_data, p_metadata)
            WITH ORDINALITY AS e(request, offset_in_request, id, type, data, metadata, ordinality)
          ORDER BY e.ordinality
          RETURNING ev.stream, ev.position
        )
        , last AS (SELECT inserted.stream, max(inserted.position) AS position FROM inserted GROUP BY inserted.stream)
        SELECT r.name, v_actual[r.ordinality::int] + r.count, coalesce(last.position, 0)::bigint
        FROM unnest(p_streams, p_counts) WITH ORDINALITY AS r(name, count, ordinality)
        LEFT JOIN last ON last.stream = r.name
        ORDER BY r.ordinality;
    END
    $append$;`;
}
