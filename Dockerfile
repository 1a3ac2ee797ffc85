# zynk in a small image: built in the Rust image, run from Debian slim as a non-root user.
# Not built in the project's CI (no container engine there); see docs/deploy.md.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked

FROM debian:bookworm-slim
# zynk has no runtime library needs beyond libc (SQLite is bundled, TLS is rustls with
# its own roots); ca-certificates serves `sslrootcert`/`ca_cert` files taken from the system.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /var/lib/zynk zynk
COPY --from=build /src/target/release/zynk /usr/local/bin/zynk
USER zynk
WORKDIR /var/lib/zynk
ENV ZYNK_DATA=/var/lib/zynk/data
ENTRYPOINT ["/usr/local/bin/zynk"]
CMD ["--help"]
