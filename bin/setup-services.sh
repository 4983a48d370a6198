#!/usr/bin/env bash
# Makes MariaDB (MySQL-compatible) and Redis answer on 127.0.0.1, installing them from Debian's
# packages where they are missing, and creates Loket's databases and user:
#   databases loket (development) and loket_test (tests); user loket / password loket.
# Safe to run again and again. Needs root (apt-get, starting daemons).
set -euo pipefail

say() { printf 'setup-services: %s\n' "$*"; }

missing=()
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! mariadb-admin ping --silent >/dev/null 2>&1; then
  say "starting MariaDB"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  for _ in $(seq 1 60); do mariadb-admin ping --silent >/dev/null 2>&1 && break; sleep 0.5; done
fi
mariadb-admin ping --silent >/dev/null 2>&1 || { say "MariaDB did not start"; exit 1; }

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  say "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/loket.log
  for _ in $(seq 1 40); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.25; done
fi
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { say "Redis did not start"; exit 1; }

mariadb -uroot <<'SQL'
CREATE DATABASE IF NOT EXISTS loket CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS loket_test CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS loket_bench CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS loket_bench_app CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'loket'@'127.0.0.1' IDENTIFIED BY 'loket';
CREATE USER IF NOT EXISTS 'loket'@'localhost' IDENTIFIED BY 'loket';
GRANT ALL PRIVILEGES ON `loket%`.* TO 'loket'@'127.0.0.1';
GRANT ALL PRIVILEGES ON `loket%`.* TO 'loket'@'localhost';
FLUSH PRIVILEGES;
SQL
say "MariaDB and Redis ready: databases loket, loket_test, loket_bench, loket_bench_app; user loket/loket"
