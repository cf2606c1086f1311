"""Server-Timing for measuring: how long Django took to answer and how many SQL
queries it made, in the standard response header that `make bench` and browsers'
developer tools read. On only with SERVER_TIMING=1: the figures describe the
server to anyone who asks."""

import time

from django.db import connection


def server_timing(get_response):
    """Outermost middleware: times everything below it, templates included."""

    def middleware(request):
        queries = []

        def timed(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append(time.perf_counter() - started)

        started = time.perf_counter()
        with connection.execute_wrapper(timed):
            response = get_response(request)
        total = (time.perf_counter() - started) * 1000
        database = sum(queries) * 1000
        response["Server-Timing"] = (
            f'app;dur={total:.2f}, db;dur={database:.2f};desc="{len(queries)} queries"'
        )
        return response

    return middleware
