# wenda: one static binary with the articles embedded, run as non-root.
#   docker build -t wenda .
#   docker run -p 8080:8080 -v wenda-data:/data wenda
# Configuration is by WENDA_* environment variables (see "wenda serve --help"),
# for example -e WENDA_LLM_BASE_URL=... -e WENDA_LLM_API_KEY=... -e WENDA_LLM_MODEL=...

FROM docker.io/library/golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/wenda ./cmd/wenda \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/wenda /wenda
# The index is built into /data on first start and loaded afterwards; a
# volume keeps it across containers.
COPY --from=build --chown=nonroot:nonroot /out/data /data
ENV WENDA_DATA_DIR=/data \
    WENDA_ADDR=:8080
VOLUME ["/data"]
EXPOSE 8080
USER nonroot:nonroot
# The image has no shell or curl: the binary checks its own /readyz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["/wenda", "healthcheck"]
ENTRYPOINT ["/wenda"]
CMD ["serve"]
