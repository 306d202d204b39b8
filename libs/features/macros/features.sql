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
