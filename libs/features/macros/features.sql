-- Feature macros shared by the silver and gold models. tipo_conteudo has a TypeScript twin
-- (contentTypeOf) and a test requires both to agree. The local-time macros have none: TypeScript
-- asks them through localTimesOf, since Node's time-zone data is not DuckDB's (tests compare
-- them with Node's Intl only in zones where the two agree).
--
-- tipo_conteudo reads the table non_game_categories(id_categoria), which installFeatureMacros
-- fills from NON_GAME_CATEGORY_IDS with a bound parameter: the curated list is defined once, in TS.
-- Timestamps without a zone are UTC instants (the engine's TimeZone setting is UTC).

CREATE OR REPLACE TEMP MACRO tipo_conteudo(game_id) AS
  CASE WHEN game_id IN (SELECT id_categoria FROM non_game_categories) THEN 'Non-Game' ELSE 'Game' END;

-- The UTC instant of a TIMESTAMPTZ as a plain TIMESTAMP, carried over through its microseconds:
-- a CAST to TIMESTAMP would consult the zone calendar on every row.
CREATE OR REPLACE TEMP MACRO instante_utc(ts_tz) AS
  CASE WHEN isfinite(ts_tz) THEN make_timestamp(epoch_us(ts_tz)) ELSE CAST(ts_tz AS TIMESTAMP) END;

-- Why silver refuses a bronze row (NULL: it passes), from its columns with started_at already
-- an instante_utc and the default interval applied. Silver checks every row with it, and the
-- rows of a repeated stream id once more to find the first copy that passes. A value is blank
-- when trim() leaves nothing; one that starts with a visible ASCII character cannot be, so only
-- the rare others pay for trim(). Only a column of another type than the extract's BIGINT (a
-- foreign writer's DOUBLE) can hold a fractional viewer_count, NaN or ±∞: espectadores would
-- round it while horas_assistidas kept it. The same goes for collection_interval_minutes, whose
-- NaN or ±∞ also failed the cast of intervalo_coleta_minutos, and with it the whole object.
CREATE OR REPLACE TEMP MACRO motivo_recusa_silver(
  id, user_id, user_login, viewer_count, collected_at, started_at_utc, collection_interval_minutes, max_skew_minutes
) AS
  CASE
    WHEN id IS NULL OR (CASE WHEN ascii(id) BETWEEN 33 AND 126 THEN false ELSE trim(id) = '' END) THEN 'missing id'
    WHEN user_id IS NULL OR (CASE WHEN ascii(user_id) BETWEEN 33 AND 126 THEN false ELSE trim(user_id) = '' END) THEN 'missing user_id'
    WHEN user_login IS NULL OR (CASE WHEN ascii(user_login) BETWEEN 33 AND 126 THEN false ELSE trim(user_login) = '' END) THEN 'missing user_login'
    WHEN viewer_count IS NULL THEN 'missing viewer_count'
    WHEN viewer_count < 0 THEN 'negative viewer_count'
    WHEN try_cast(viewer_count AS BIGINT) IS DISTINCT FROM viewer_count THEN 'viewer_count not a whole number'
    WHEN collected_at IS NULL THEN 'missing collected_at'
    WHEN started_at_utc IS NULL THEN 'unparsable started_at'
    WHEN started_at_utc > collected_at + to_minutes(CAST(max_skew_minutes AS BIGINT))
      THEN 'started_at after collected_at beyond the allowed skew'
    WHEN collection_interval_minutes IS NULL OR collection_interval_minutes <= 0
      OR try_cast(collection_interval_minutes AS BIGINT) IS DISTINCT FROM collection_interval_minutes
      THEN 'invalid collection_interval_minutes'
  END;

CREATE OR REPLACE TEMP MACRO hora_local(ts, tz) AS
  hour(timezone(tz, CAST(ts AS TIMESTAMPTZ)));

CREATE OR REPLACE TEMP MACRO data_local(ts, tz) AS
  CAST(timezone(tz, CAST(ts AS TIMESTAMPTZ)) AS DATE);

CREATE OR REPLACE TEMP MACRO periodo_dia(ts, tz) AS
  CASE
    WHEN hora_local(ts, tz) < 6 THEN 'Dawn'
    WHEN hora_local(ts, tz) < 12 THEN 'Morning'
    WHEN hora_local(ts, tz) < 18 THEN 'Afternoon'
    ELSE 'Night'
  END;

-- Sums doubles in exact decimal arithmetic, so a parallel aggregation gives the same result
-- whatever order the threads add the values in (reruns rewrite identical gold rows).
CREATE OR REPLACE TEMP MACRO soma_exata(x) AS
  CAST(sum(CAST(x AS DECIMAL(38, 9))) AS DOUBLE);

-- The exact decimal of a double, for sums that are carried through a pre-aggregation.
CREATE OR REPLACE TEMP MACRO decimal_exato(x) AS
  CAST(x AS DECIMAL(38, 9));

-- Average viewers of a group: hours watched spread over the minutes streamed (0 when no minutes).
CREATE OR REPLACE TEMP MACRO media_espectadores(horas, minutos) AS
  CASE WHEN minutos > 0 THEN horas * 60 / minutos ELSE 0 END;
