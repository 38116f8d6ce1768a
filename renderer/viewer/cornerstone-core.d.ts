/** The small part of cornerstone-core 2.6 this renderer uses (the package ships no types). */
declare module 'cornerstone-core' {
  export interface VOI {
    windowWidth: number;
    windowCenter: number;
  }
  export interface Viewport {
    scale: number;
    translation: { x: number; y: number };
    voi: VOI;
    invert: boolean;
    pixelReplication: boolean;
    rotation: number;
    hflip: boolean;
    vflip: boolean;
    colormap?: string | object;
    modalityLUT?: unknown;
    voiLUT?: unknown;
    labelmap?: boolean;
  }
  export interface CornerstoneImage {
    imageId: string;
    minPixelValue: number;
    maxPixelValue: number;
    slope: number;
    intercept: number;
    windowCenter: number;
    windowWidth: number;
    getPixelData: () => Int16Array | Uint16Array | Uint8Array;
    rows: number;
    columns: number;
    height: number;
    width: number;
    color: boolean;
    rgba?: boolean;
    columnPixelSpacing: number;
    rowPixelSpacing: number;
    invert: boolean;
    sizeInBytes: number;
    render?: unknown;
  }
  export interface ImageLoadObject {
    promise: Promise<CornerstoneImage>;
    cancelFn?: () => void;
  }
  export type ImageLoader = (imageId: string, options?: unknown) => ImageLoadObject;
  export interface EnabledElement {
    element: HTMLElement;
    image?: CornerstoneImage;
    viewport?: Viewport;
    canvas: HTMLCanvasElement;
  }

  interface Cornerstone {
    enable(element: HTMLElement, options?: unknown): void;
    disable(element: HTMLElement): void;
    displayImage(element: HTMLElement, image: CornerstoneImage, viewport?: Partial<Viewport>): void;
    loadImage(imageId: string, options?: unknown): Promise<CornerstoneImage>;
    registerImageLoader(scheme: string, loader: ImageLoader): void;
    getViewport(element: HTMLElement): Viewport | undefined;
    setViewport(element: HTMLElement, viewport: Partial<Viewport>): void;
    getDefaultViewportForImage(element: HTMLElement, image: CornerstoneImage): Viewport;
    getEnabledElement(element: HTMLElement): EnabledElement;
    getImage(element: HTMLElement): CornerstoneImage | undefined;
    resize(element: HTMLElement, forcedResize?: boolean): void;
    fitToWindow(element: HTMLElement): void;
    reset(element: HTMLElement): void;
    updateImage(element: HTMLElement, invalidated?: boolean): void;
    draw(element: HTMLElement): void;
    events: EventTarget;
    EVENTS: Record<string, string>;
  }
  const cornerstone: Cornerstone;
  export default cornerstone;
}
