"""Page-number pagination for every list: ``?page=2&page_size=100`` (at most 200 a page).

Responses are ``{"count", "next", "previous", "results"}``. Querysets must be totally ordered (end the
ordering with the primary key) or rows can repeat or go missing between pages."""

from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200
