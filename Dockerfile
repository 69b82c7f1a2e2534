# The Qulaq image: one image for every stage, collector and the dashboard (see compose.yaml).
#   docker build -t qulaq .
#   docker run --rm qulaq --help
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    QULAQ_HOME=/data

# Dependencies first, so that a change to the code alone reuses this layer.
WORKDIR /build
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
RUN pip install --no-deps . \
    && cd / && rm -rf /build

RUN useradd --system --uid 10001 --user-group --home-dir /home/qulaq --create-home qulaq \
    && mkdir -p /data \
    && chown qulaq:qulaq /data

USER qulaq
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8501

ENTRYPOINT ["qulaq"]
CMD ["--help"]
