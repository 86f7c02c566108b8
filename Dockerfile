# syntax=docker/dockerfile:1
#
# The Simpul gateway as a container image: the production build (no embedded demo) and the
# adapter plugins side by side in /opt/simpul, run as a non-root user.
#
#   docker build -t simpul .
#   docker run -p 4000:4000 -v "$PWD/deploy/simpul.toml:/etc/simpul/simpul.toml:ro" … simpul
#
# The config must listen on 0.0.0.0:4000 (`listen`), as deploy/simpul.toml does; compose.yaml
# runs two of these over PostgreSQL and Redis (README, "Running in production"). Bare library
# names in the config (`library = "simpul_adapter_spn"`) are found beside the binary.

FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
# The gateway without the demo, then every adapter plugin: the Rust ones
# (libsimpul_adapter_*.so in target/release) and the C ones, which plugins/c/build.rs compiles
# with the image's cc into its OUT_DIR (only the LPK adapter is kept, not the test zoo).
# Separate commands: `--no-default-features` must apply to the gateway alone.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p simpul-gateway --no-default-features \
 && cargo build --release --locked \
      -p simpul-adapter-spn -p simpul-adapter-bbplk -p simpul-adapter-bpjamsostek \
      -p simpul-adapter-fkblkk -p simpul-c-plugins \
 && mkdir -p /out \
 && cp target/release/simpul target/release/libsimpul_adapter_*.so /out/ \
 && cp "$(ls -t target/release/build/simpul-c-plugins-*/out/libsimpul_c_lpk.so | head -n 1)" /out/

FROM debian:bookworm-slim
# The binary and the plugins need glibc and libgcc_s only (rustls, bundled SQLite): both are
# in the base image.
RUN groupadd --system simpul \
 && useradd --system --gid simpul --home-dir /var/lib/simpul --create-home \
      --shell /usr/sbin/nologin simpul \
 && mkdir -p /etc/simpul
COPY --from=build /out/ /opt/simpul/
ENV PATH=/opt/simpul:$PATH
# The working directory is the only one the gateway may write to (a `record` file, an SQLite
# store named relative to it); deploy/simpul.toml keeps its store in PostgreSQL.
WORKDIR /var/lib/simpul
USER simpul
EXPOSE 4000
# No curl in the image: bash's /dev/tcp asks GET /healthz and wants a 200.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/4000 && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# SIGTERM (docker stop) drains the requests in flight within [server] shutdown_grace_ms.
ENTRYPOINT ["simpul"]
CMD ["serve", "--config", "/etc/simpul/simpul.toml"]
