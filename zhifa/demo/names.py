"""Synthetic Chinese names from a seeded generator: realistic, never a real person's data."""

import random

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志文斌辉力鹏宇浩然欣"
    "怡思远晨曦子轩嘉琪俊峰海燕雪松春林晓东振华立新雨婷佳慧"
)


class NameGenerator:
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.used: set[str] = set()

    def person(self) -> str:
        while True:
            given_length = self.random.choice([1, 2, 2, 2])
            name = self.random.choice(SURNAMES) + "".join(self.random.choice(GIVEN) for _ in range(given_length))
            if name not in self.used:
                self.used.add(name)
                return name
