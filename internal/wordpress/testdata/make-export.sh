#!/bin/bash
# Builds a small university news site in a real WordPress (Debian 12's package) and exports it
# with WordPress's own exporter: export.xml, uploads/, wpautop.json and rendered.json beside
# this script. A development tool, not run by the tests: run it as root on a Debian 12 machine
# to regenerate the test data.
#
# MariaDB runs on a socket in a temporary directory (no network port); the site is built and
# exported by PHP's command line through wp-load.php, so no web server is needed. Everything
# started here is stopped, and everything written outside the temporary directory removed, on
# exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "run as root" >&2; exit 1; }

if ! dpkg -s wordpress php-cli php-mysql php-gd mariadb-server >/dev/null 2>&1; then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		wordpress php-cli php-mysql php-gd mariadb-server
fi

work=$(mktemp -d /tmp/wp-export.XXXXXX)
config=/etc/wordpress/config-campusnews-export.php
dbpid=
cleanup() {
	if [ -n "$dbpid" ] && kill -0 "$dbpid" 2>/dev/null; then
		kill "$dbpid"
		while kill -0 "$dbpid" 2>/dev/null; do sleep 0.2; done
	fi
	rm -f "$config"
	rm -rf "$work"
}
trap cleanup EXIT

# A private MariaDB: its own data directory, a socket and no TCP listener.
mkdir -p "$work/db" "$work/content/uploads"
mariadb-install-db --user=root --datadir="$work/db" --auth-root-authentication-method=normal \
	--skip-test-db >"$work/install-db.log" 2>&1
mariadbd --user=root --datadir="$work/db" --socket="$work/mysqld.sock" --skip-networking \
	--pid-file="$work/mysqld.pid" --log-error="$work/mysqld.err" &
dbpid=$!
for _ in $(seq 100); do [ -S "$work/mysqld.sock" ] && break; sleep 0.2; done
mariadb --socket="$work/mysqld.sock" -uroot <<'SQL'
CREATE DATABASE wordpress CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER 'wp'@'localhost' IDENTIFIED BY 'wp';
GRANT ALL ON wordpress.* TO 'wp'@'localhost';
SQL

# Debian's wp-config.php reads /etc/wordpress/config-$WORDPRESS_CONFIG.php.
cat >"$config" <<'PHP'
<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'wp');
define('DB_PASSWORD', 'wp');
define('DB_HOST', 'localhost:' . getenv('WPX_SOCKET'));
define('WP_CONTENT_DIR', getenv('WPX_CONTENT'));
define('WP_CONTENT_URL', 'https://news.example.edu/wp-content');
define('WP_HOME', 'https://news.example.edu');
define('WP_SITEURL', 'https://news.example.edu');
define('WP_POST_REVISIONS', false);
define('DISABLE_WP_CRON', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
PHP

export WORDPRESS_CONFIG=campusnews-export HTTP_HOST=news.example.edu
export WPX_SOCKET="$work/mysqld.sock" WPX_CONTENT="$work/content" WPX_OUT="$work/out"
mkdir -p "$WPX_OUT"
php "$here/make-export.php"

# The export and the uploads, less the file that is missing on purpose (campus-map*).
cp "$WPX_OUT/export.xml" "$WPX_OUT/wpautop.json" "$WPX_OUT/rendered.json" "$here/"
rm -rf "$here/uploads"
cp -r "$work/content/uploads" "$here/uploads"
find "$here/uploads" -name 'campus-map*' -delete
echo "export: $(wc -c <"$here/export.xml") bytes; uploads: $(du -sh "$here/uploads" | cut -f1)"
