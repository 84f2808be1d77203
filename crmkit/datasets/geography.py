"""The main logistics cities of China and the road distances between them.

One table drives every place in the generated data: a customer's province and city, the origin and
destination of each shipment, and the distance of a route. Distances are great-circle (haversine)
distances times a road factor, so 上海 is always in 上海 and 兰州 is always far from 深圳.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

__all__ = ["City", "CITIES", "ROAD_FACTOR", "EARTH_RADIUS_KM", "city_table", "city_weights",
           "haversine_km", "road_distance_km", "distance_matrix"]

#: Road distance / great-circle distance; 1.2-1.3 is typical for trunk roads in China.
ROAD_FACTOR = 1.25
#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM = 6371.0088


class City(NamedTuple):
    """One city of :data:`CITIES`. The names of a locale are chosen in one place, the locale's
    provider (``providers.LogisticsProvider.city_names`` / ``province_names``)."""

    name_zh: str
    province_zh: str
    region_zh: str
    name_en: str
    province_en: str
    lat: float
    lon: float
    #: Relative freight volume used to draw home cities and destinations (rough, from city GDP
    #: and port/hub rank).
    weight: float


CITIES: tuple[City, ...] = tuple(City(*row) for row in (
    ("上海", "上海", "华东", "Shanghai", "Shanghai", 31.23, 121.47, 10.0),
    ("杭州", "浙江", "华东", "Hangzhou", "Zhejiang", 30.27, 120.16, 6.0),
    ("宁波", "浙江", "华东", "Ningbo", "Zhejiang", 29.87, 121.54, 5.0),
    ("义乌", "浙江", "华东", "Yiwu", "Zhejiang", 29.31, 120.08, 3.0),
    ("南京", "江苏", "华东", "Nanjing", "Jiangsu", 32.06, 118.80, 5.0),
    ("苏州", "江苏", "华东", "Suzhou", "Jiangsu", 31.30, 120.59, 6.0),
    ("无锡", "江苏", "华东", "Wuxi", "Jiangsu", 31.49, 120.31, 3.0),
    ("合肥", "安徽", "华东", "Hefei", "Anhui", 31.82, 117.23, 3.0),
    ("福州", "福建", "华东", "Fuzhou", "Fujian", 26.07, 119.30, 3.0),
    ("厦门", "福建", "华东", "Xiamen", "Fujian", 24.48, 118.09, 3.0),
    ("济南", "山东", "华东", "Jinan", "Shandong", 36.65, 117.12, 3.0),
    ("青岛", "山东", "华东", "Qingdao", "Shandong", 36.07, 120.38, 4.0),
    ("南昌", "江西", "华东", "Nanchang", "Jiangxi", 28.68, 115.86, 2.0),
    ("广州", "广东", "华南", "Guangzhou", "Guangdong", 23.13, 113.26, 9.0),
    ("深圳", "广东", "华南", "Shenzhen", "Guangdong", 22.54, 114.06, 9.0),
    ("东莞", "广东", "华南", "Dongguan", "Guangdong", 23.02, 113.75, 5.0),
    ("佛山", "广东", "华南", "Foshan", "Guangdong", 23.02, 113.12, 4.0),
    ("南宁", "广西", "华南", "Nanning", "Guangxi", 22.82, 108.37, 2.0),
    ("海口", "海南", "华南", "Haikou", "Hainan", 20.04, 110.34, 1.0),
    ("北京", "北京", "华北", "Beijing", "Beijing", 39.90, 116.41, 8.0),
    ("天津", "天津", "华北", "Tianjin", "Tianjin", 39.13, 117.20, 5.0),
    ("石家庄", "河北", "华北", "Shijiazhuang", "Hebei", 38.04, 114.51, 2.0),
    ("太原", "山西", "华北", "Taiyuan", "Shanxi", 37.87, 112.55, 1.5),
    ("呼和浩特", "内蒙古", "华北", "Hohhot", "Inner Mongolia", 40.84, 111.75, 1.0),
    ("武汉", "湖北", "华中", "Wuhan", "Hubei", 30.59, 114.31, 5.0),
    ("长沙", "湖南", "华中", "Changsha", "Hunan", 28.23, 112.94, 4.0),
    ("郑州", "河南", "华中", "Zhengzhou", "Henan", 34.75, 113.63, 4.0),
    ("成都", "四川", "西南", "Chengdu", "Sichuan", 30.57, 104.07, 6.0),
    ("重庆", "重庆", "西南", "Chongqing", "Chongqing", 29.56, 106.55, 5.0),
    ("昆明", "云南", "西南", "Kunming", "Yunnan", 25.04, 102.71, 2.0),
    ("贵阳", "贵州", "西南", "Guiyang", "Guizhou", 26.65, 106.63, 2.0),
    ("拉萨", "西藏", "西南", "Lhasa", "Tibet", 29.65, 91.17, 0.3),
    ("西安", "陕西", "西北", "Xi'an", "Shaanxi", 34.34, 108.94, 4.0),
    ("兰州", "甘肃", "西北", "Lanzhou", "Gansu", 36.06, 103.83, 1.0),
    ("乌鲁木齐", "新疆", "西北", "Urumqi", "Xinjiang", 43.83, 87.62, 1.5),
    ("银川", "宁夏", "西北", "Yinchuan", "Ningxia", 38.49, 106.23, 0.6),
    ("西宁", "青海", "西北", "Xining", "Qinghai", 36.62, 101.78, 0.5),
    ("沈阳", "辽宁", "东北", "Shenyang", "Liaoning", 41.81, 123.43, 3.0),
    ("大连", "辽宁", "东北", "Dalian", "Liaoning", 38.91, 121.61, 2.0),
    ("长春", "吉林", "东北", "Changchun", "Jilin", 43.82, 125.32, 2.0),
    ("哈尔滨", "黑龙江", "东北", "Harbin", "Heilongjiang", 45.80, 126.53, 2.0),
))


def city_table(locale: str = "zh_CN") -> pd.DataFrame:
    """The city table with names in ``locale``: city, province, region, lat, lon, weight.

    Examples
    --------
    >>> t = city_table()
    >>> t.loc[t["city"] == "兰州", "province"].item()
    '甘肃'
    >>> city_table("en_US")["city"].iloc[0]
    'Shanghai'
    """
    from crmkit.datasets.providers import locale_provider

    places = locale_provider(locale)  # validates the locale
    return pd.DataFrame({
        "city": places.city_names(),
        "province": places.province_names(),
        "region": places.region_names(),
        "lat": [c.lat for c in CITIES],
        "lon": [c.lon for c in CITIES],
        "weight": [c.weight for c in CITIES],
    })


def city_weights() -> np.ndarray:
    """The probability of each city of :data:`CITIES` as a home city or destination (weights / sum)."""
    weight = np.array([c.weight for c in CITIES])
    return weight / weight.sum()


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km between points given in degrees (numpy broadcasting).

    Examples
    --------
    >>> round(float(haversine_km(31.23, 121.47, 39.90, 116.41)))  # 上海-北京
    1067
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


def road_distance_km(lat1, lon1, lat2, lon2, *, road_factor: float = ROAD_FACTOR):
    """Road distance estimate: great-circle distance times ``road_factor``."""
    return haversine_km(lat1, lon1, lat2, lon2) * road_factor


def distance_matrix(*, road_factor: float = ROAD_FACTOR) -> np.ndarray:
    """Road distance (km) between every pair of cities, in the order of :data:`CITIES`."""
    lat = np.array([c.lat for c in CITIES])
    lon = np.array([c.lon for c in CITIES])
    return road_distance_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :],
                            road_factor=road_factor)
