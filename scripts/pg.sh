# Start (pg_start) and stop (pg_stop) a throwaway PostgreSQL cluster for tests.
# Exports FORMENGINE_TEST_POSTGRES_URL. Root cannot run postgres, so the cluster runs as 'postgres'.
PG_PORT="${PG_PORT:-54329}"
PG_DIR="${PG_DIR:-/tmp/formengine-pg}"

pg_start() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  local run=()
  if [ "$(id -u)" = 0 ]; then run=(runuser -u postgres --); fi
  if ! "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1; then
    rm -rf "$PG_DIR" && mkdir -p "$PG_DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
    "${run[@]}" "$bin/initdb" -D "$PG_DIR" -A trust -U postgres >/dev/null
    "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR" -o "-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1" \
      -l "$PG_DIR/log" -w start >/dev/null
  fi
  export FORMENGINE_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
  echo "== PostgreSQL test server on 127.0.0.1:$PG_PORT"
}

pg_stop() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$bin/pg_ctl" -D "$PG_DIR" stop -m fast; else "$bin/pg_ctl" -D "$PG_DIR" stop -m fast; fi
}
