# logreg studio for a class in one container: N Streamlit replicas behind nginx
# (deploy/classroom.sh, which docs/classroom.md's "Run it for a class" explains).
#
#   docker build -t logreg-studio .                      # add --build-arg CAT_DATA=1 to
#                                                        # download the course's cat files
#   docker run --rm -p 8080:8080 -e LOGREG_PUBLIC_HOST=192.168.1.20 logreg-studio
#
# Publish the same port number the launcher listens on (LOGREG_PORT), and give the host's
# LAN address as LOGREG_PUBLIC_HOST: inside the container the launcher only sees the
# container's own address, and prints (and certifies, with TLS) the one students open.
#   HTTPS for the camera:   -e LOGREG_TLS=1                (a self-signed certificate)
#   your own certificate:   -e LOGREG_TLS=1 -v /etc/school-tls:/tls:ro \
#                           -e LOGREG_CERT=/tls/cert.pem -e LOGREG_KEY=/tls/key.pem
#   the cat files you have: -v /path/to/cat-data:/data:ro -e LOGREG_DATA_DIR=/data
#   keep students' models across restarts: -v logreg-state:/var/lib/logreg/state
FROM python:3.11-slim

# Debian's nginx (the launcher runs it as the app's user, with its own prefix) and openssl
# for a generated certificate.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx openssl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Requirements before the code, so a code change does not reinstall them.
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .

# Not root: the launcher needs no privileges (ports above 1024, nginx's files under its run
# directory). data/ is writable so the Data page's "Download the cat data" works.
RUN useradd --create-home --uid 10001 logreg \
    && mkdir -p /var/lib/logreg/state \
    && chown -R logreg /var/lib/logreg /app/data
USER logreg

ARG CAT_DATA=0
RUN if [ "$CAT_DATA" = 1 ]; then python -m logreg data download; fi

ENV LOGREG_REPLICAS=2 \
    LOGREG_PORT=8080 \
    LOGREG_TLS="" \
    LOGREG_CERT="" \
    LOGREG_KEY="" \
    LOGREG_STATE_DIR=/var/lib/logreg/state \
    PYTHONUNBUFFERED=1
VOLUME /var/lib/logreg/state
EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
    CMD python -c "import os, ssl, urllib.request; \
scheme = 'https' if os.environ.get('LOGREG_TLS', '') not in ('', '0') else 'http'; \
urllib.request.urlopen(f\"{scheme}://127.0.0.1:{os.environ['LOGREG_PORT']}/_stcore/health\", \
timeout=4, context=ssl._create_unverified_context())"

# exec: the launcher is PID 1's only child, so `docker stop` (SIGTERM) reaches its trap,
# which stops nginx and every replica.
# LOGREG_TLS=1 turns HTTPS on; empty or 0 leaves it off.
CMD ["sh", "-c", "case \"$LOGREG_TLS\" in ''|0) tls= ;; *) tls=--tls ;; esac; exec deploy/classroom.sh --replicas \"$LOGREG_REPLICAS\" --port \"$LOGREG_PORT\" $tls ${LOGREG_CERT:+--cert \"$LOGREG_CERT\" --key \"$LOGREG_KEY\"}"]
