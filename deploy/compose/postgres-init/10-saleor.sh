#!/bin/sh
# First start of the PostgreSQL volume only: Saleor gets its own role and database beside ours.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v saleor_password="$SALEOR_POSTGRES_PASSWORD" <<'SQL'
CREATE ROLE saleor LOGIN PASSWORD :'saleor_password';
CREATE DATABASE saleor OWNER saleor;
SQL
