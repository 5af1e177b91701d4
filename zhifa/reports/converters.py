from django.urls import register_converter


class FileFormat:
    """The report's downloadable formats."""

    regex = "pdf|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FileFormat, "report_format")
